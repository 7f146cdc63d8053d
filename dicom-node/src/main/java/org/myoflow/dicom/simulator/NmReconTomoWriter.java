package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.code;
import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;
import static org.myoflow.dicom.Attrs.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.myoflow.dicom.NmTags;
import java.io.IOException;
import java.nio.file.Path;
import org.myoflow.dicom.volume.DicomGeometry;
import org.myoflow.model.volume.Volume;

/**
 * Writes a {@link Volume} as one NM Image Storage instance, multi-frame RECON TOMO, as a SPECT camera's
 * reconstruction would send it: frames are slices along the normal of Image Orientation (Patient), whose position and
 * orientation sit in the Detector Information Sequence, with Slice Vector as the frame increment pointer. Voxels are
 * stored as unsigned 16-bit counts (rounded; NM has no rescale).
 */
public final class NmReconTomoWriter {
    private NmReconTomoWriter() {
    }

    public static AttributeList build(Volume volume, StudyIdentity id, int seriesNumber) throws DicomException {
        DicomGeometry geo = DicomGeometry.fromAffine(volume.grid());
        int nx = volume.grid().nx(), ny = volume.grid().ny(), nz = volume.grid().nz();
        AttributeList l = CommonModules.start(SOPClass.NuclearMedicineImageStorage, "NM", id, seriesNumber, 1);
        put(l, TagFromName.StudyDescription, "Myocardial perfusion SPECT (simulated)");
        put(l, TagFromName.SeriesDescription, "Rest recon (simulated)");
        put(l, TagFromName.SeriesDate, id.studyDate());
        put(l, TagFromName.SeriesTime, id.studyTime());
        sequence(l, NmTags.PATIENT_ORIENTATION_CODE_SEQUENCE, withModifier(
                code("102538003", "SCT", "recumbent"), code("40199007", "SCT", "supine")));
        sequence(l, NmTags.PATIENT_GANTRY_RELATIONSHIP_CODE_SEQUENCE, code("102540008", "SCT", "headfirst"));
        put(l, TagFromName.AcquisitionDate, id.studyDate());
        put(l, TagFromName.AcquisitionTime, id.studyTime());
        put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "RECON TOMO", "EMISSION");
        put(l, NmTags.COUNTS_ACCUMULATED, 0);
        CommonModules.monochrome16(l, ny, nx, false);
        put(l, TagFromName.PixelSpacing, geo.rowSpacing(), geo.columnSpacing());
        put(l, TagFromName.NumberOfFrames, nz);
        l.put(frameIncrementPointer());
        int[] sliceVector = new int[nz];
        for (int k = 0; k < nz; k++) {
            sliceVector[k] = k + 1;
        }
        put(l, NmTags.SLICE_VECTOR, sliceVector);
        put(l, NmTags.NUMBER_OF_SLICES, nz);
        put(l, TagFromName.SpacingBetweenSlices, geo.sliceSpacing());
        put(l, TagFromName.SliceThickness, geo.sliceSpacing());
        AttributeList window = new AttributeList();
        sequence(window, NmTags.ENERGY_WINDOW_RANGE_SEQUENCE, rangeItem());
        put(window, NmTags.ENERGY_WINDOW_NAME, "Tc99m");
        sequence(l, NmTags.ENERGY_WINDOW_INFORMATION_SEQUENCE, window);
        AttributeList radiopharmaceutical = new AttributeList();
        sequence(radiopharmaceutical, NmTags.RADIONUCLIDE_CODE_SEQUENCE,
                code("44588005", "SCT", "^99m^Technetium"));
        put(radiopharmaceutical, NmTags.RADIOPHARMACEUTICAL, "Tc99m sestamibi");
        sequence(l, TagFromName.RadiopharmaceuticalInformationSequence, radiopharmaceutical);
        AttributeList detector = new AttributeList();
        put(detector, TagFromName.ImagePositionPatient, geo.firstPosition());
        put(detector, TagFromName.ImageOrientationPatient, geo.orientation());
        put(detector, NmTags.COLLIMATOR_TYPE, "PARA");
        sequence(l, NmTags.DETECTOR_INFORMATION_SEQUENCE, detector);
        put(l, NmTags.NUMBER_OF_DETECTORS, 1);
        put(l, NmTags.NUMBER_OF_ENERGY_WINDOWS, 1);
        put(l, NmTags.NUMBER_OF_ROTATIONS, 1);
        AttributeList rotation = new AttributeList();
        sequence(l, NmTags.ROTATION_INFORMATION_SEQUENCE, rotation);
        // the acquisition the reconstruction came from: a dual-head 180-degree cardiac orbit, 64 stops of 25 s
        put(rotation, NmTags.START_ANGLE, 315.0);
        put(rotation, NmTags.ANGULAR_STEP, 180.0 / 64);
        put(rotation, NmTags.ROTATION_DIRECTION, "CC");
        put(rotation, NmTags.SCAN_ARC, 180.0);
        put(rotation, NmTags.ACTUAL_FRAME_DURATION, 25000);
        put(rotation, NmTags.NUMBER_OF_FRAMES_IN_ROTATION, 64);
        put(rotation, TagFromName.TableHeight, 0.0);

        short[] pixels = new short[nx * ny * nz];
        float[] v = volume.data();
        for (int k = 0; k < nz; k++) {
            int z = geo.frameToZ(k, nz);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    float f = v[x + nx * (y + ny * z)];
                    pixels[k * nx * ny + y * nx + x] = (short) Math.max(0, Math.min(65535, Math.round(f)));
                }
            }
        }
        OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
        pd.setValues(pixels);
        l.put(pd);
        return l;
    }

    /** Writes a Part 10 file (explicit VR little endian). */
    public static AttributeList write(Volume volume, StudyIdentity id, int seriesNumber, Path file)
            throws DicomException, IOException {
        AttributeList l = build(volume, id, seriesNumber);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MYOFLOW_SIM");
        l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return l;
    }

    private static com.pixelmed.dicom.Attribute frameIncrementPointer() throws DicomException {
        com.pixelmed.dicom.AttributeTagAttribute a = new com.pixelmed.dicom.AttributeTagAttribute(
                TagFromName.FrameIncrementPointer);
        a.addValue(NmTags.SLICE_VECTOR);
        return a;
    }

    private static AttributeList rangeItem() throws DicomException {
        AttributeList r = new AttributeList();
        put(r, NmTags.ENERGY_WINDOW_LOWER_LIMIT, 126.45);
        put(r, NmTags.ENERGY_WINDOW_UPPER_LIMIT, 154.55);
        return r;
    }

    private static AttributeList withModifier(AttributeList orientation, AttributeList modifier) {
        sequence(orientation, NmTags.PATIENT_ORIENTATION_MODIFIER_CODE_SEQUENCE, modifier);
        return orientation;
    }
}
