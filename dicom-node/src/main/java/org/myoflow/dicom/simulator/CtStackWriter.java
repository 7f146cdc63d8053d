package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myoflow.dicom.volume.DicomGeometry;
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
        DicomGeometry geo = DicomGeometry.fromAffine(volume.grid());
        int nx = volume.grid().nx(), ny = volume.grid().ny(), nz = volume.grid().nz();
        List<AttributeList> slices = new ArrayList<>();
        float[] v = volume.data();
        for (int k = 0; k < nz; k++) {
            int z = geo.frameToZ(k, nz);
            AttributeList l = CommonModules.start(SOPClass.CTImageStorage, "CT", id, seriesNumber, k + 1);
            put(l, TagFromName.PatientPosition, "HFS");
            putEmpty(l, TagFromName.PatientOrientation);
            put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
            put(l, TagFromName.AcquisitionNumber, 1);
            put(l, KVP, 120.0);
            put(l, TagFromName.ImagePositionPatient, geo.framePosition(k));
            put(l, TagFromName.ImageOrientationPatient, geo.orientation());
            put(l, TagFromName.PixelSpacing, geo.rowSpacing(), geo.columnSpacing());
            put(l, TagFromName.SliceThickness, geo.sliceSpacing());
            CommonModules.monochrome16(l, ny, nx, true);
            put(l, TagFromName.RescaleIntercept, 0.0);
            put(l, TagFromName.RescaleSlope, 1.0 / scale);
            short[] pixels = new short[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    long s = Math.round(v[x + nx * (y + ny * z)] * scale);
                    pixels[y * nx + x] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
                }
            }
            OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
            pd.setValues(pixels);
            l.put(pd);
            slices.add(l);
        }
        return slices;
    }

    /** Writes Part 10 files {@code <dir>/ct-<n>.dcm}; returns them in slice order. */
    public static List<Path> write(Volume volume, StudyIdentity id, int seriesNumber, double scale, Path dir)
            throws DicomException, IOException {
        List<Path> files = new ArrayList<>();
        List<AttributeList> slices = build(volume, id, seriesNumber, scale);
        for (int k = 0; k < slices.size(); k++) {
            AttributeList l = slices.get(k);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MYOFLOW_SIM");
            Path f = dir.resolve(String.format("ct-%04d.dcm", k + 1));
            l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            files.add(f);
        }
        return files;
    }
}
