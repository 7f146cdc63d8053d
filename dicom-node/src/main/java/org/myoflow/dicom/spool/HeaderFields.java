package org.myoflow.dicom.spool;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.Attrs;

/**
 * The top-level attributes of a received instance that the spool checks and study assembly uses, as strings with
 * their padding removed (first value of a multi-valued one, except {@code imageType}: all values joined by '\').
 *
 * @param seriesNumber 0 when absent or not a number
 * @param frames Number of Frames, 1 when absent or not a number
 * @param seriesRelatedInstances Number of Series Related Instances, else Images in Acquisition, else 0
 * @param perFrameGroups whether a Per-frame Functional Groups Sequence is present (enhanced multi-frame)
 */
record HeaderFields(String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid, String modality,
                    int seriesNumber, String seriesDescription, String patientId, String patientName,
                    String accessionNumber, int frames, int seriesRelatedInstances, String imageType,
                    boolean perFrameGroups) {
    static final AttributeTag IMAGES_IN_ACQUISITION = new AttributeTag(0x0020, 0x1002);

    /** The same fields from an attribute list PixelMed read. */
    static HeaderFields of(AttributeList l) {
        return new HeaderFields(Attrs.string(l, TagFromName.SOPClassUID), Attrs.string(l, TagFromName.SOPInstanceUID),
                Attrs.string(l, TagFromName.StudyInstanceUID), Attrs.string(l, TagFromName.SeriesInstanceUID),
                Attrs.string(l, TagFromName.Modality), Attrs.integer(l, TagFromName.SeriesNumber, 0),
                Attrs.string(l, TagFromName.SeriesDescription), Attrs.string(l, TagFromName.PatientID),
                Attrs.string(l, TagFromName.PatientName), Attrs.string(l, TagFromName.AccessionNumber),
                Attrs.integer(l, TagFromName.NumberOfFrames, 1),
                Attrs.integer(l, TagFromName.NumberOfSeriesRelatedInstances,
                        Attrs.integer(l, IMAGES_IN_ACQUISITION, 0)),
                String.join("\\", Attrs.strings(l, TagFromName.ImageType)),
                l.get(TagFromName.PerFrameFunctionalGroupsSequence) != null);
    }
}
