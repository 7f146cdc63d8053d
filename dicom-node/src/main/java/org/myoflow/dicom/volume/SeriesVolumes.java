package org.myoflow.dicom.volume;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import org.myoflow.model.volume.Volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Chooses how a spooled series becomes a volume: one NM multi-frame instance, or a stack of single frames. */
public final class SeriesVolumes {
    private SeriesVolumes() {
    }

    /** Reads the files of one series (any order) into a volume, or says why it is not one. */
    public static Volume read(List<Path> files, String sopClassUid) throws SeriesVolumeException, IOException {
        if (sopClassUid.equals("1.2.840.10008.5.1.4.1.1.66.4") || sopClassUid.startsWith("1.2.840.10008.5.1.4.1.1.88.")
                || sopClassUid.startsWith("1.2.840.10008.5.1.4.1.1.7")) {
            throw new SeriesVolumeException("SOP class " + sopClassUid + " is not an acquired image volume");
        }
        try {
            List<AttributeList> lists = new ArrayList<>(files.size());
            for (Path f : files) {
                AttributeList l = new AttributeList();
                l.read(f.toFile());
                lists.add(l);
            }
            if (lists.size() == 1 && sopClassUid.equals("1.2.840.10008.5.1.4.1.1.20")) {
                return NmMultiFrameVolume.read(lists.get(0));
            }
            if (lists.size() == 1 && lists.get(0).get(com.pixelmed.dicom.TagFromName
                    .PerFrameFunctionalGroupsSequence) != null) {
                return EnhancedMultiFrameVolume.read(lists.get(0));
            }
            return SingleFrameStackVolume.read(lists);
        } catch (DicomException e) {
            throw new SeriesVolumeException("unreadable series: " + e.getMessage());
        } catch (RuntimeException e) {
            // PixelMed's decoders fail this way on pixel data they cannot decode (e.g. 12-bit lossy JPEG): the
            // series is not a volume, and the study goes on without it rather than retrying for ever
            throw new SeriesVolumeException("pixel data could not be decoded (" + e + ")");
        }
    }
}
