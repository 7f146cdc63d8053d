package org.myoflow.dicom.results;

import static org.myoflow.dicom.Attrs.code;
import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.sequence;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The volumes as a TID 1500 Measurement Report (Comprehensive SR): the device observer (Myoflow, model version),
 * UNVERIFIED, an image library of the source instances, and one TID 1411 volumetric measurement group per segment
 * each referencing its SEG segment and the source series, with the volume in mL (UCUM). Values are what the mask
 * measures: voxel count times voxel volume.
 */
public final class MeasurementReportWriter {
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    private static final AttributeTag VALUE_TYPE = t(0x0040, 0xA040);
    private static final AttributeTag RELATIONSHIP_TYPE = t(0x0040, 0xA010);
    private static final AttributeTag CONCEPT_NAME = t(0x0040, 0xA043);
    private static final AttributeTag CONCEPT_CODE = t(0x0040, 0xA168);
    private static final AttributeTag CONTENT_SEQUENCE = t(0x0040, 0xA730);
    private static final AttributeTag CONTINUITY = t(0x0040, 0xA050);
    private static final AttributeTag TEXT_VALUE = t(0x0040, 0xA160);
    private static final AttributeTag UID_VALUE = t(0x0040, 0xA124);
    private static final AttributeTag MEASURED_VALUE = t(0x0040, 0xA300);
    private static final AttributeTag NUMERIC_VALUE = t(0x0040, 0xA30A);
    private static final AttributeTag UNITS = t(0x0040, 0x08EA);
    private static final AttributeTag TEMPLATE_SEQUENCE = t(0x0040, 0xA504);
    private static final AttributeTag MAPPING_RESOURCE = t(0x0008, 0x0105);
    private static final AttributeTag TEMPLATE_ID = t(0x0040, 0xDB00);
    private static final AttributeTag COMPLETION = t(0x0040, 0xA491);
    private static final AttributeTag VERIFICATION = t(0x0040, 0xA493);
    private static final AttributeTag EVIDENCE = t(0x0040, 0xA375);
    private static final AttributeTag PERFORMED_PROCEDURE_CODE = t(0x0040, 0xA372);
    private static final AttributeTag REFERENCED_SEGMENT_NUMBER = t(0x0062, 0x000B);

    private MeasurementReportWriter() {
    }

    /** One measured segment: its number in the SEG, what it is, and its volume. */
    public record MeasuredSegment(int segmentNumber, String label, AttributeList findingSite, double volumeMl) {
        public static MeasuredSegment lvMyocardium(double volumeMl) throws DicomException {
            return new MeasuredSegment(1, "LV myocardium", code("74281007", "SCT", "Myocardium"), volumeMl);
        }

        /** The blood pool the myocardium encloses, segment 2 of our SEG. */
        public static MeasuredSegment lvCavity(double volumeMl) throws DicomException {
            return new MeasuredSegment(2, "LV cavity", code("87878005", "SCT", "Left ventricle"), volumeMl);
        }
    }

    /**
     * @param sources the source series' instance headers (the image library and the evidence)
     * @param seg the SEG these measurements were made on
     */
    public static AttributeList build(List<AttributeList> sources, AttributeList seg, List<MeasuredSegment> segments,
                                      String modelVersion, String seriesInstanceUid, String sopInstanceUid,
                                      int seriesNumber) throws DicomException {
        AttributeList src = sources.get(0);
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        AttributeList l = new AttributeList();
        put(l, TagFromName.SpecificCharacterSet, "ISO_IR 100");
        put(l, TagFromName.SOPClassUID, COMPREHENSIVE_SR);
        put(l, TagFromName.SOPInstanceUID, sopInstanceUid);
        SourceModules.copy(src, l, SourceModules.PATIENT_AND_STUDY);
        put(l, TagFromName.Modality, "SR");
        put(l, TagFromName.SeriesInstanceUID, seriesInstanceUid);
        put(l, TagFromName.SeriesNumber, seriesNumber);
        put(l, TagFromName.SeriesDescription, "Myoflow LV volumes (model " + modelVersion + ")");
        sequence(l, TagFromName.ReferencedPerformedProcedureStepSequence);
        put(l, TagFromName.Manufacturer, "Myoflow");
        put(l, TagFromName.InstanceNumber, 1);
        put(l, TagFromName.ContentDate, now.substring(0, 8));
        put(l, TagFromName.ContentTime, now.substring(8));
        put(l, COMPLETION, "COMPLETE");
        put(l, VERIFICATION, "UNVERIFIED");
        sequence(l, PERFORMED_PROCEDURE_CODE);
        sequence(l, EVIDENCE, evidence(sources, seg));

        // root: TID 1500
        put(l, VALUE_TYPE, "CONTAINER");
        sequence(l, CONCEPT_NAME, code("126000", "DCM", "Imaging Measurement Report"));
        put(l, CONTINUITY, "SEPARATE");
        AttributeList template = new AttributeList();
        put(template, MAPPING_RESOURCE, "DCMR");
        put(template, TEMPLATE_ID, "1500");
        sequence(l, TEMPLATE_SEQUENCE, template);
        List<AttributeList> root = new ArrayList<>();
        root.add(codeItem("HAS CONCEPT MOD", code("121049", "DCM", "Language of Content Item and Descendants"),
                code("eng", "RFC5646", "English")));
        // TID 1002 observer context: the device that made the measurements, and that no one reviewed them
        root.add(codeItem("HAS OBS CONTEXT", code("121005", "DCM", "Observer Type"), code("121007", "DCM",
                "Device")));
        root.add(uidItem("HAS OBS CONTEXT", code("121012", "DCM", "Device Observer UID"),
                Uids.derived("myoflow-device/" + modelVersion)));
        root.add(textItem("HAS OBS CONTEXT", code("121013", "DCM", "Device Observer Name"), "Myoflow"));
        root.add(textItem("HAS OBS CONTEXT", code("121015", "DCM", "Device Observer Model Name"),
                "3-D U-Net " + modelVersion));
        root.add(codeItem("HAS CONCEPT MOD", code("121058", "DCM", "Procedure reported"),
                code("363679005", "SCT", "Imaging procedure")));

        List<AttributeList> library = new ArrayList<>();
        for (AttributeList s : sources) {
            library.add(imageItem("CONTAINS", null, s, 0));
        }
        AttributeList group = container("CONTAINS", code("126200", "DCM", "Image Library Group"), library);
        root.add(container("CONTAINS", code("111028", "DCM", "Image Library"), List.of(group)));

        List<AttributeList> measurements = new ArrayList<>();
        for (MeasuredSegment m : segments) {
            List<AttributeList> g = new ArrayList<>();
            g.add(textItem("HAS OBS CONTEXT", code("112039", "DCM", "Tracking Identifier"), m.label()));
            g.add(uidItem("HAS OBS CONTEXT", code("112040", "DCM", "Tracking Unique Identifier"),
                    Uids.derived(sopInstanceUid + "/tracking/" + m.segmentNumber())));
            g.add(imageItem("CONTAINS", code("121191", "DCM", "Referenced Segment"), seg, m.segmentNumber()));
            g.add(uidItem("CONTAINS", code("121232", "DCM", "Source series for segmentation"),
                    Attribute.getSingleStringValueOrEmptyString(src, TagFromName.SeriesInstanceUID)));
            g.add(codeItem("HAS CONCEPT MOD", code("363698007", "SCT", "Finding Site"), m.findingSite()));
            g.add(numItem(code("118565006", "SCT", "Volume"), m.volumeMl(), code("mL", "UCUM", "mL")));
            measurements.add(container("CONTAINS", code("125007", "DCM", "Measurement Group"), g));
        }
        root.add(container("CONTAINS", code("126010", "DCM", "Imaging Measurements"), measurements));
        sequence(l, CONTENT_SEQUENCE, root.toArray(AttributeList[]::new));
        return l;
    }

    private static AttributeList evidence(List<AttributeList> sources, AttributeList seg) throws DicomException {
        AttributeList study = new AttributeList();
        put(study, TagFromName.StudyInstanceUID,
                Attribute.getSingleStringValueOrEmptyString(seg, TagFromName.StudyInstanceUID));
        List<AttributeList> series = new ArrayList<>();
        for (List<AttributeList> members : List.of(sources, List.of(seg))) {
            AttributeList s = new AttributeList();
            put(s, TagFromName.SeriesInstanceUID,
                    Attribute.getSingleStringValueOrEmptyString(members.get(0), TagFromName.SeriesInstanceUID));
            List<AttributeList> refs = new ArrayList<>();
            for (AttributeList m : members) {
                refs.add(sopRef(m));
            }
            sequence(s, TagFromName.ReferencedSOPSequence, refs.toArray(AttributeList[]::new));
            series.add(s);
        }
        sequence(study, TagFromName.ReferencedSeriesSequence, series.toArray(AttributeList[]::new));
        return study;
    }

    private static AttributeList sopRef(AttributeList instance) throws DicomException {
        AttributeList r = new AttributeList();
        put(r, TagFromName.ReferencedSOPClassUID,
                Attribute.getSingleStringValueOrEmptyString(instance, TagFromName.SOPClassUID));
        put(r, TagFromName.ReferencedSOPInstanceUID,
                Attribute.getSingleStringValueOrEmptyString(instance, TagFromName.SOPInstanceUID));
        return r;
    }

    private static AttributeList item(String relationship, String valueType, AttributeList concept)
            throws DicomException {
        AttributeList i = new AttributeList();
        put(i, RELATIONSHIP_TYPE, relationship);
        put(i, VALUE_TYPE, valueType);
        if (concept != null) {
            sequence(i, CONCEPT_NAME, concept);
        }
        return i;
    }

    private static AttributeList container(String relationship, AttributeList concept, List<AttributeList> children)
            throws DicomException {
        AttributeList i = item(relationship, "CONTAINER", concept);
        put(i, CONTINUITY, "SEPARATE");
        sequence(i, CONTENT_SEQUENCE, children.toArray(AttributeList[]::new));
        return i;
    }

    private static AttributeList codeItem(String relationship, AttributeList concept, AttributeList value)
            throws DicomException {
        AttributeList i = item(relationship, "CODE", concept);
        sequence(i, CONCEPT_CODE, value);
        return i;
    }

    private static AttributeList textItem(String relationship, AttributeList concept, String value)
            throws DicomException {
        AttributeList i = item(relationship, "TEXT", concept);
        put(i, TEXT_VALUE, value);
        return i;
    }

    private static AttributeList uidItem(String relationship, AttributeList concept, String value)
            throws DicomException {
        AttributeList i = item(relationship, "UIDREF", concept);
        put(i, UID_VALUE, value);
        return i;
    }

    private static AttributeList numItem(AttributeList concept, double value, AttributeList units)
            throws DicomException {
        AttributeList i = item("CONTAINS", "NUM", concept);
        AttributeList mv = new AttributeList();
        put(mv, NUMERIC_VALUE, String.format(java.util.Locale.ROOT, "%.3f", value));
        sequence(mv, UNITS, units);
        sequence(i, MEASURED_VALUE, mv);
        return i;
    }

    /** An IMAGE item; {@code segment} > 0 adds the Referenced Segment Number. */
    private static AttributeList imageItem(String relationship, AttributeList concept, AttributeList instance,
                                           int segment) throws DicomException {
        AttributeList i = item(relationship, "IMAGE", concept);
        AttributeList ref = sopRef(instance);
        if (segment > 0) {
            put(ref, REFERENCED_SEGMENT_NUMBER, segment);
        }
        sequence(i, TagFromName.ReferencedSOPSequence, ref);
        return i;
    }

    private static AttributeTag t(int group, int element) {
        return new AttributeTag(group, element);
    }
}
