package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myoflow.dicom.volume.DicomGeometry;
import org.myoflow.model.volume.Volume;

/**
 * A volume as a stack of single-frame instances, one per slice along the normal: the geometry (Image Plane), the
 * pixels (16 bits, Rescale Slope {@code 1/scale}) and the common modules; each modality adds its own modules.
 */
final class StackWriter {
    /** Adds a modality's modules to slice {@code k}'s attribute list. */
    interface ModalityModules {
        void add(AttributeList slice, int k) throws DicomException;
    }

    private StackWriter() {
    }

    static List<AttributeList> build(Volume volume, StudyIdentity id, int seriesNumber, double scale, boolean signed,
                                     String sopClass, String modality, ModalityModules modules)
            throws DicomException {
        DicomGeometry geo = DicomGeometry.fromAffine(volume.grid());
        int nx = volume.grid().nx(), ny = volume.grid().ny(), nz = volume.grid().nz();
        List<AttributeList> slices = new ArrayList<>();
        float[] v = volume.data();
        long min = signed ? Short.MIN_VALUE : 0;
        long max = signed ? Short.MAX_VALUE : 65535;
        for (int k = 0; k < nz; k++) {
            int z = geo.frameToZ(k, nz);
            AttributeList l = CommonModules.start(sopClass, modality, id, seriesNumber, k + 1);
            put(l, TagFromName.ImagePositionPatient, geo.framePosition(k));
            put(l, TagFromName.ImageOrientationPatient, geo.orientation());
            put(l, TagFromName.PixelSpacing, geo.rowSpacing(), geo.columnSpacing());
            put(l, TagFromName.SliceThickness, geo.sliceSpacing());
            CommonModules.monochrome16(l, ny, nx, signed);
            put(l, TagFromName.RescaleSlope, 1.0 / scale);
            modules.add(l, k);
            short[] pixels = new short[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    long s = Math.round(v[x + nx * (y + ny * z)] * scale);
                    pixels[y * nx + x] = (short) Math.max(min, Math.min(max, s));
                }
            }
            OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
            pd.setValues(pixels);
            l.put(pd);
            slices.add(l);
        }
        return slices;
    }

    /** Writes Part 10 files {@code <dir>/<prefix>-<n>.dcm} (explicit VR little endian); returns them in order. */
    static List<Path> write(List<AttributeList> slices, Path dir, String prefix) throws DicomException, IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < slices.size(); k++) {
            AttributeList l = slices.get(k);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MYOFLOW_SIM");
            Path f = dir.resolve(String.format("%s-%04d.dcm", prefix, k + 1));
            l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            files.add(f);
        }
        return files;
    }
}
