package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.myoflow.model.volume.Volume;

/**
 * Writes a {@link Volume} as a single-frame CT Image Storage stack, one instance per slice, as a CT scanner (or a
 * SPECT/CT's CT) would send it. Values are stored as signed 16-bit with Rescale Slope {@code 1/scale}, so
 * {@code scale} stored steps make one unit of the volume.
 */
public final class CtStackWriter {
    /** KVP (0018,0060): missing from PixelMed's TagFromName. */
    private static final com.pixelmed.dicom.AttributeTag KVP = new com.pixelmed.dicom.AttributeTag(0x0018, 0x0060);

    private CtStackWriter() {
    }

    /** One attribute list per slice, in slice order along the normal. */
    public static List<AttributeList> build(Volume volume, StudyIdentity id, int seriesNumber, double scale)
            throws DicomException {
        return StackWriter.build(volume, id, seriesNumber, scale, true, SOPClass.CTImageStorage, "CT", (l, k) -> {
            put(l, TagFromName.PatientPosition, "HFS");
            putEmpty(l, TagFromName.PatientOrientation);
            put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
            put(l, TagFromName.AcquisitionNumber, 1);
            put(l, KVP, 120.0);
            put(l, TagFromName.RescaleIntercept, 0.0);
        });
    }

    /** Writes Part 10 files {@code <dir>/ct-<n>.dcm}; returns them in slice order. */
    public static List<Path> write(Volume volume, StudyIdentity id, int seriesNumber, double scale, Path dir)
            throws DicomException, IOException {
        return StackWriter.write(build(volume, id, seriesNumber, scale), dir, "ct");
    }
}
