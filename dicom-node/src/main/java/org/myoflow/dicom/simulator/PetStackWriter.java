package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.code;
import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.myoflow.dicom.NmTags;
import org.myoflow.model.volume.Volume;

/**
 * Writes a {@link Volume} as a single-frame PET Image Storage stack (a static, attenuation- and decay-corrected
 * cardiac PET in Bq/ml), one instance per slice. Stored unsigned 16-bit with Rescale Slope {@code 1/scale} and
 * intercept 0 (PET requires it).
 */
public final class PetStackWriter {
    private static final AttributeTag UNITS = new AttributeTag(0x0054, 0x1001);
    private static final AttributeTag COUNTS_SOURCE = new AttributeTag(0x0054, 0x1002);
    private static final AttributeTag SERIES_TYPE = new AttributeTag(0x0054, 0x1000);
    private static final AttributeTag CORRECTED_IMAGE = new AttributeTag(0x0028, 0x0051);
    private static final AttributeTag DECAY_CORRECTION = new AttributeTag(0x0054, 0x1102);
    private static final AttributeTag FRAME_REFERENCE_TIME = new AttributeTag(0x0054, 0x1300);
    private static final AttributeTag IMAGE_INDEX = new AttributeTag(0x0054, 0x1330);
    private static final AttributeTag DECAY_FACTOR = new AttributeTag(0x0054, 0x1321);
    private static final AttributeTag RADIONUCLIDE_HALF_LIFE = new AttributeTag(0x0018, 0x1075);
    private static final AttributeTag RADIONUCLIDE_TOTAL_DOSE = new AttributeTag(0x0018, 0x1074);
    private static final AttributeTag RADIOPHARMACEUTICAL_START_TIME = new AttributeTag(0x0018, 0x1072);

    private PetStackWriter() {
    }

    public static List<AttributeList> build(Volume volume, StudyIdentity id, int seriesNumber, double scale)
            throws DicomException {
        int nz = volume.grid().nz();
        return StackWriter.build(volume, id, seriesNumber, scale, false, SOPClass.PETImageStorage, "PT", (l, k) -> {
            put(l, TagFromName.SeriesDate, id.studyDate());
            put(l, TagFromName.SeriesTime, id.studyTime());
            put(l, TagFromName.SeriesDescription, "Rest perfusion PET (simulated)");
            put(l, UNITS, "BQML");
            put(l, COUNTS_SOURCE, "EMISSION");
            put(l, SERIES_TYPE, "STATIC", "IMAGE");
            put(l, CORRECTED_IMAGE, "ATTN", "DECY");
            put(l, DECAY_CORRECTION, "START");
            put(l, NmTags.COLLIMATOR_TYPE, "NONE");
            put(l, NmTags.NUMBER_OF_SLICES, nz);
            AttributeList radiopharmaceutical = new AttributeList();
            sequence(radiopharmaceutical, NmTags.RADIONUCLIDE_CODE_SEQUENCE, code("21576001", "SCT",
                    "^82^Rubidium"));
            put(radiopharmaceutical, NmTags.RADIOPHARMACEUTICAL, "Rb82");
            put(radiopharmaceutical, RADIOPHARMACEUTICAL_START_TIME, id.studyTime());
            put(radiopharmaceutical, RADIONUCLIDE_TOTAL_DOSE, 1.1e9);
            put(radiopharmaceutical, RADIONUCLIDE_HALF_LIFE, 76.4);
            sequence(l, TagFromName.RadiopharmaceuticalInformationSequence, radiopharmaceutical);
            sequence(l, NmTags.PATIENT_ORIENTATION_CODE_SEQUENCE, code("40199007", "SCT", "supine"));
            sequence(l, NmTags.PATIENT_GANTRY_RELATIONSHIP_CODE_SEQUENCE, code("102540008", "SCT", "headfirst"));
            put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY");
            put(l, TagFromName.RescaleIntercept, 0.0);
            put(l, FRAME_REFERENCE_TIME, 0.0);
            put(l, IMAGE_INDEX, k + 1);
            put(l, TagFromName.AcquisitionDate, id.studyDate());
            put(l, TagFromName.AcquisitionTime, id.studyTime());
            put(l, NmTags.ACTUAL_FRAME_DURATION, 300000);
            put(l, DECAY_FACTOR, 1.0);
        });
    }

    /** Writes Part 10 files {@code <dir>/pt-<n>.dcm}; returns them in slice order. */
    public static List<Path> write(Volume volume, StudyIdentity id, int seriesNumber, double scale, Path dir)
            throws DicomException, IOException {
        return StackWriter.write(build(volume, id, seriesNumber, scale), dir, "pt");
    }
}
