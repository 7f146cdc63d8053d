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
        String series = id.childUid("series-" + seriesNumber);
        double[] normal = {geo.rowCosines()[1] * geo.columnCosines()[2] - geo.rowCosines()[2] * geo.columnCosines()[1],
            geo.rowCosines()[2] * geo.columnCosines()[0] - geo.rowCosines()[0] * geo.columnCosines()[2],
            geo.rowCosines()[0] * geo.columnCosines()[1] - geo.rowCosines()[1] * geo.columnCosines()[0]};
        List<AttributeList> slices = new ArrayList<>();
        float[] v = volume.data();
        for (int k = 0; k < nz; k++) {
            int z = geo.frameToZ(k, nz);
            AttributeList l = new AttributeList();
            put(l, TagFromName.SpecificCharacterSet, "ISO_IR 100");
            put(l, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
            put(l, TagFromName.SOPInstanceUID, id.childUid("series-" + seriesNumber + "/instance-" + (k + 1)));
            put(l, TagFromName.PatientName, id.patientName());
            put(l, TagFromName.PatientID, id.patientId());
            put(l, TagFromName.PatientBirthDate, id.birthDate());
            put(l, TagFromName.PatientSex, id.sex());
            put(l, TagFromName.StudyInstanceUID, id.studyInstanceUid());
            put(l, TagFromName.StudyDate, id.studyDate());
            put(l, TagFromName.StudyTime, id.studyTime());
            putEmpty(l, TagFromName.ReferringPhysicianName);
            put(l, TagFromName.StudyID, id.studyId());
            put(l, TagFromName.AccessionNumber, id.accession());
            put(l, TagFromName.Modality, "CT");
            put(l, TagFromName.SeriesInstanceUID, series);
            put(l, TagFromName.SeriesNumber, seriesNumber);
            putEmpty(l, TagFromName.Laterality);
            put(l, TagFromName.PatientPosition, "HFS");
            put(l, TagFromName.FrameOfReferenceUID, id.childUid("frame-of-reference"));
            putEmpty(l, TagFromName.PositionReferenceIndicator);
            put(l, TagFromName.Manufacturer, "Myoflow");
            put(l, TagFromName.ManufacturerModelName, "ScannerSimulator");
            put(l, TagFromName.InstanceNumber, k + 1);
            putEmpty(l, TagFromName.PatientOrientation);
            put(l, TagFromName.ContentDate, id.studyDate());
            put(l, TagFromName.ContentTime, id.studyTime());
            put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
            put(l, TagFromName.AcquisitionNumber, 1);
            put(l, KVP, 120.0);
            double[] first = geo.firstPosition();
            double step = geo.sliceSpacing() * k;
            put(l, TagFromName.ImagePositionPatient, first[0] + normal[0] * step, first[1] + normal[1] * step,
                    first[2] + normal[2] * step);
            put(l, TagFromName.ImageOrientationPatient, geo.orientation());
            put(l, TagFromName.PixelSpacing, geo.rowSpacing(), geo.columnSpacing());
            put(l, TagFromName.SliceThickness, geo.sliceSpacing());
            put(l, TagFromName.SamplesPerPixel, 1);
            put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
            put(l, TagFromName.Rows, ny);
            put(l, TagFromName.Columns, nx);
            put(l, TagFromName.BitsAllocated, 16);
            put(l, TagFromName.BitsStored, 16);
            put(l, TagFromName.HighBit, 15);
            put(l, TagFromName.PixelRepresentation, 1);
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
