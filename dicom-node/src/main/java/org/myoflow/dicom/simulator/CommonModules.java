package org.myoflow.dicom.simulator;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * The modules every simulated instance shares: SOP common, patient, general study, general series, frame of
 * reference, general equipment and the instance's number, with UIDs derived from the study identity.
 */
final class CommonModules {
    private CommonModules() {
    }

    static AttributeList start(String sopClassUid, String modality, StudyIdentity id, int seriesNumber,
                               int instanceNumber) throws DicomException {
        AttributeList l = new AttributeList();
        put(l, TagFromName.SpecificCharacterSet, "ISO_IR 100");
        put(l, TagFromName.SOPClassUID, sopClassUid);
        put(l, TagFromName.SOPInstanceUID, id.childUid("series-" + seriesNumber + "/instance-" + instanceNumber));
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
        put(l, TagFromName.Modality, modality);
        put(l, TagFromName.SeriesInstanceUID, id.childUid("series-" + seriesNumber));
        put(l, TagFromName.SeriesNumber, seriesNumber);
        putEmpty(l, TagFromName.Laterality); // 2C, unpaired organ: dciodvfy accepts empty, flags absent
        put(l, TagFromName.FrameOfReferenceUID, id.childUid("frame-of-reference"));
        putEmpty(l, TagFromName.PositionReferenceIndicator);
        put(l, TagFromName.Manufacturer, "Myoflow");
        put(l, TagFromName.ManufacturerModelName, "ScannerSimulator");
        put(l, TagFromName.InstanceNumber, instanceNumber);
        put(l, TagFromName.ContentDate, id.studyDate());
        put(l, TagFromName.ContentTime, id.studyTime());
        return l;
    }

    /** Image Pixel module for 16-bit greyscale pixels (the Pixel Data itself is added by the writer). */
    static void monochrome16(AttributeList l, int rows, int columns, boolean signed) throws DicomException {
        put(l, TagFromName.SamplesPerPixel, 1);
        put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(l, TagFromName.Rows, rows);
        put(l, TagFromName.Columns, columns);
        put(l, TagFromName.BitsAllocated, 16);
        put(l, TagFromName.BitsStored, 16);
        put(l, TagFromName.HighBit, 15);
        put(l, TagFromName.PixelRepresentation, signed ? 1 : 0);
    }
}
