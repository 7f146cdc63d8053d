package org.myoflow.dicom.results;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/** What every result object takes from its source: the patient and the study it belongs to (same study, new series). */
final class SourceModules {
    static final AttributeTag[] PATIENT_AND_STUDY = {TagFromName.PatientName, TagFromName.PatientID,
        TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyInstanceUID, TagFromName.StudyDate,
        TagFromName.StudyTime, TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber};

    private SourceModules() {
    }

    /** Copies the tags as they are in the source; a missing or empty one is written empty (they are type 2). */
    static void copy(AttributeList from, AttributeList to, AttributeTag... tags) throws DicomException {
        for (AttributeTag tag : tags) {
            Attribute a = from.get(tag);
            if (a != null && a.getVM() > 0) {
                put(to, tag, a.getStringValues());
            } else {
                putEmpty(to, tag);
            }
        }
    }
}
