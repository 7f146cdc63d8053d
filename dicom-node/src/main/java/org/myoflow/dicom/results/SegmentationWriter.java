package org.myoflow.dicom.results;

import static org.myoflow.dicom.Attrs.code;
import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.myoflow.dicom.LossyHistory;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.volume.DicomGeometry;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A binary DICOM Segmentation of the LV myocardium on the source grid: one frame per source plane that holds
 * myocardium (empty planes are omitted), each frame referencing the source instance (and frame) at its position,
 * patient and study copied from the source, a new series in the same study. Built attribute by attribute: PixelMed's
 * own SEG builder is fixed to MANUAL segments on one referenced image.
 */
public final class SegmentationWriter {
    public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    private static final AttributeTag SEGMENT_SEQUENCE = t(0x0062, 0x0002);
    private static final AttributeTag SEGMENT_NUMBER = t(0x0062, 0x0004);
    private static final AttributeTag SEGMENT_LABEL = t(0x0062, 0x0005);
    private static final AttributeTag SEGMENT_DESCRIPTION = t(0x0062, 0x0006);
    private static final AttributeTag SEGMENT_ALGORITHM_TYPE = t(0x0062, 0x0008);
    private static final AttributeTag SEGMENT_ALGORITHM_NAME = t(0x0062, 0x0009);
    private static final AttributeTag SEGMENT_IDENTIFICATION = t(0x0062, 0x000A);
    private static final AttributeTag REFERENCED_SEGMENT_NUMBER = t(0x0062, 0x000B);
    private static final AttributeTag RECOMMENDED_DISPLAY_CIELAB = t(0x0062, 0x000D);
    private static final AttributeTag SEGMENTED_PROPERTY_CATEGORY = t(0x0062, 0x0003);
    private static final AttributeTag SEGMENTED_PROPERTY_TYPE = t(0x0062, 0x000F);
    private static final AttributeTag SEGMENTATION_TYPE = t(0x0062, 0x0001);
    private static final AttributeTag CONTENT_LABEL = t(0x0070, 0x0080);
    private static final AttributeTag CONTENT_DESCRIPTION = t(0x0070, 0x0081);
    private static final AttributeTag CONTENT_CREATOR = t(0x0070, 0x0084);
    private static final AttributeTag DIMENSION_ORGANIZATION = t(0x0020, 0x9221);
    private static final AttributeTag DIMENSION_INDEX = t(0x0020, 0x9222);
    private static final AttributeTag DIMENSION_ORGANIZATION_UID = t(0x0020, 0x9164);
    private static final AttributeTag DIMENSION_INDEX_POINTER = t(0x0020, 0x9165);
    private static final AttributeTag FUNCTIONAL_GROUP_POINTER = t(0x0020, 0x9167);
    private static final AttributeTag DIMENSION_DESCRIPTION = t(0x0020, 0x9421);
    private static final AttributeTag DIMENSION_INDEX_VALUES = t(0x0020, 0x9157);
    private static final AttributeTag DIMENSION_ORGANIZATION_TYPE = t(0x0020, 0x9311);
    private static final AttributeTag DERIVATION_IMAGE = t(0x0008, 0x9124);
    private static final AttributeTag SOURCE_IMAGE = TagFromName.SourceImageSequence;
    private static final AttributeTag PURPOSE_OF_REFERENCE = t(0x0040, 0xA170);
    private static final AttributeTag REFERENCED_SERIES = t(0x0008, 0x1115);
    private static final AttributeTag DEVICE_SERIAL_NUMBER = t(0x0018, 0x1000);
    private static final AttributeTag SOFTWARE_VERSIONS = t(0x0018, 0x1020);

    private SegmentationWriter() {
    }

    /** Who made the segmentation. */
    public record Segment(String label, String algorithmName, String modelVersion) {
        public static Segment lvMyocardium(String modelVersion) {
            return new Segment("LV myocardium", "Myoflow 3-D U-Net", modelVersion);
        }
    }

    /** One segment: what it is (coded) and its voxels on the source grid. */
    public record Part(String label, String description, AttributeList propertyType, AttributeList anatomicRegion,
                       int[] cielab, BinaryMask mask) {

        public static Part lvMyocardium(BinaryMask mask) throws DicomException {
            // what: myocardium; where: the left ventricle (DICOM lists no pre-coordinated LV myocardium concept)
            return new Part("LV myocardium", "Left ventricular myocardium", code("74281007", "SCT", "Myocardium"),
                    code("87878005", "SCT", "Left ventricle"), new int[] {36061, 56931, 43744}, mask);
        }

        /** The chamber's blood pool, as CID 7152 (Cardiac Structure Segmentation Types) names the chamber. */
        public static Part lvCavity(BinaryMask mask) throws DicomException {
            return new Part("LV cavity", "Left ventricular blood pool, enclosed by the myocardium",
                    code("87878005", "SCT", "Left Ventricle"), null, new int[] {60000, 40000, 20000}, mask);
        }
    }

    /**
     * @param mask the segmentation on the source series' volume grid
     * @param sources the source series' instances (headers are enough; pixel data is not read)
     * @param sopInstanceUid deterministic, so exporting the same result again replaces rather than duplicates
     */
    public static AttributeList build(BinaryMask mask, List<AttributeList> sources, Segment segment,
                                      String seriesInstanceUid, String sopInstanceUid, int seriesNumber)
            throws DicomException {
        return build(mask, null, sources, segment, seriesInstanceUid, sopInstanceUid, seriesNumber);
    }

    /**
     * @param probabilities null for a BINARY SEG; else the probability of each voxel of the mask's grid, written as a
     *     FRACTIONAL (PROBABILITY) SEG in steps of 1/255, on the same frames the binary mask would have
     */
    public static AttributeList build(BinaryMask mask, float[] probabilities, List<AttributeList> sources,
                                      Segment segment, String seriesInstanceUid, String sopInstanceUid,
                                      int seriesNumber) throws DicomException {
        return build(List.of(Part.lvMyocardium(mask)), probabilities, sources, segment, seriesInstanceUid,
                sopInstanceUid, seriesNumber);
    }

    /**
     * @param parts the segments, numbered in this order from 1; the first is the myocardium
     * @param probabilities null for BINARY; else FRACTIONAL, the first segment's probabilities (the others are
     *     written as certain where their mask is)
     */
    public static AttributeList build(List<Part> parts, float[] probabilities, List<AttributeList> sources,
                                      Segment segment, String seriesInstanceUid, String sopInstanceUid,
                                      int seriesNumber) throws DicomException {
        BinaryMask mask = parts.get(0).mask();
        if (probabilities != null && probabilities.length != mask.grid().size()) {
            throw new IllegalArgumentException("probabilities do not match the mask's grid");
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source instances");
        }
        Grid g = mask.grid();
        DicomGeometry geo = DicomGeometry.fromAffine(g);
        SourcePlanes planes = SourcePlanes.of(sources);
        AttributeList src = sources.get(0);
        int nx = g.nx(), ny = g.ny(), nz = g.nz();

        // frames segment by segment, each in order along the normal, only planes holding that segment
        List<Frame> frames = new ArrayList<>();
        for (int s = 0; s < parts.size(); s++) {
            BinaryMask m = parts.get(s).mask();
            if (!m.grid().sameShape(g)) {
                throw new IllegalArgumentException("segment " + (s + 1) + " is on another grid");
            }
            for (int k = 0; k < nz; k++) {
                int z = geo.frameToZ(k, nz);
                if (!m.anyInSlice(z)) {
                    continue;
                }
                double[] position = geo.framePosition(k);
                SourcePlanes.Plane p = planes.at(position, Math.max(0.01, 0.25 * geo.sliceSpacing()));
                if (p == null) {
                    throw new IllegalArgumentException("no source plane at slice " + z + " (" + position[0] + ", "
                            + position[1] + ", " + position[2] + "): the mask is not on the source grid");
                }
                frames.add(new Frame(s, z, k, position, p));
            }
        }
        if (mask.isEmpty()) {
            throw new IllegalArgumentException("the mask is empty: nothing to encode");
        }

        AttributeList l = new AttributeList();
        put(l, TagFromName.SpecificCharacterSet, "ISO_IR 100");
        put(l, TagFromName.SOPClassUID, SEGMENTATION_STORAGE);
        put(l, TagFromName.SOPInstanceUID, sopInstanceUid);
        SourceModules.copy(src, l, SourceModules.PATIENT_AND_STUDY);
        SourceModules.copy(src, l, TagFromName.FrameOfReferenceUID, TagFromName.PositionReferenceIndicator);
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        put(l, TagFromName.Modality, "SEG");
        put(l, TagFromName.SeriesInstanceUID, seriesInstanceUid);
        put(l, TagFromName.SeriesNumber, seriesNumber);
        put(l, TagFromName.SeriesDescription, "Myoflow LV myocardium (model " + segment.modelVersion() + ")");
        put(l, TagFromName.SeriesDate, now.substring(0, 8));
        put(l, TagFromName.SeriesTime, now.substring(8));
        put(l, TagFromName.Manufacturer, "Myoflow");
        put(l, TagFromName.ManufacturerModelName, segment.algorithmName());
        put(l, DEVICE_SERIAL_NUMBER, "myoflow");
        put(l, SOFTWARE_VERSIONS, "model " + segment.modelVersion());
        put(l, TagFromName.InstanceNumber, 1);
        put(l, TagFromName.ContentDate, now.substring(0, 8));
        put(l, TagFromName.ContentTime, now.substring(8));
        put(l, TagFromName.ImageType, "DERIVED", "PRIMARY");
        put(l, CONTENT_LABEL, "MYOCARDIUM");
        put(l, CONTENT_DESCRIPTION, "AI segmentation, not reviewed");
        put(l, CONTENT_CREATOR, "Myoflow^" + segment.modelVersion());
        put(l, TagFromName.SamplesPerPixel, 1);
        put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(l, TagFromName.Rows, ny);
        put(l, TagFromName.Columns, nx);
        boolean fractional = probabilities != null;
        put(l, TagFromName.BitsAllocated, fractional ? 8 : 1);
        put(l, TagFromName.BitsStored, fractional ? 8 : 1);
        put(l, TagFromName.HighBit, fractional ? 7 : 0);
        put(l, TagFromName.PixelRepresentation, 0);
        LossyHistory.of(sources).putInto(l); // Lossy Image Compression: the sources' history
        put(l, SEGMENTATION_TYPE, fractional ? "FRACTIONAL" : "BINARY");
        if (fractional) {
            put(l, t(0x0062, 0x0010), "PROBABILITY");   // Segmentation Fractional Type
            put(l, t(0x0062, 0x000E), MAX_FRACTION);    // Maximum Fractional Value
        }
        put(l, TagFromName.NumberOfFrames, frames.size());

        AttributeList[] segmentItems = new AttributeList[parts.size()];
        for (int s = 0; s < parts.size(); s++) {
            Part part = parts.get(s);
            AttributeList seg = new AttributeList();
            put(seg, SEGMENT_NUMBER, s + 1);
            put(seg, SEGMENT_LABEL, part.label());
            put(seg, SEGMENT_DESCRIPTION, part.description());
            put(seg, SEGMENT_ALGORITHM_TYPE, "AUTOMATIC");
            put(seg, SEGMENT_ALGORITHM_NAME, segment.algorithmName() + " " + segment.modelVersion());
            sequence(seg, SEGMENTED_PROPERTY_CATEGORY, code("123037004", "SCT", "Anatomical Structure"));
            sequence(seg, SEGMENTED_PROPERTY_TYPE, part.propertyType());
            if (part.anatomicRegion() != null) {
                sequence(seg, TagFromName.AnatomicRegionSequence, part.anatomicRegion());
            }
            put(seg, RECOMMENDED_DISPLAY_CIELAB, part.cielab());
            segmentItems[s] = seg;
        }
        sequence(l, SEGMENT_SEQUENCE, segmentItems);

        String dimensionUid = Uids.derived(sopInstanceUid + "/dimensions");
        AttributeList organisation = new AttributeList();
        put(organisation, DIMENSION_ORGANIZATION_UID, dimensionUid);
        sequence(l, DIMENSION_ORGANIZATION, organisation);
        sequence(l, DIMENSION_INDEX, dimension(dimensionUid, REFERENCED_SEGMENT_NUMBER, SEGMENT_IDENTIFICATION,
                "ReferencedSegmentNumber"), dimension(dimensionUid, TagFromName.ImagePositionPatient,
                TagFromName.PlanePositionSequence, "ImagePositionPatient"));
        put(l, DIMENSION_ORGANIZATION_TYPE, "3D");

        AttributeList shared = new AttributeList();
        org.myoflow.dicom.FunctionalGroups.planeGeometry(shared, geo);
        sequence(l, TagFromName.SharedFunctionalGroupsSequence, shared);

        AttributeList[] perFrame = new AttributeList[frames.size()];
        for (int f = 0; f < perFrame.length; f++) {
            Frame fr = frames.get(f);
            AttributeList item = new AttributeList();
            AttributeList content = new AttributeList();
            // dimension values: segment, then the plane's index along the normal (the same plane, the same index)
            put(content, DIMENSION_INDEX_VALUES, fr.segment() + 1, fr.k() + 1);
            sequence(item, TagFromName.FrameContentSequence, content);
            AttributeList position = new AttributeList();
            put(position, TagFromName.ImagePositionPatient, fr.position());
            sequence(item, TagFromName.PlanePositionSequence, position);
            AttributeList ident = new AttributeList();
            put(ident, REFERENCED_SEGMENT_NUMBER, fr.segment() + 1);
            sequence(item, SEGMENT_IDENTIFICATION, ident);
            SourcePlanes.Plane p = fr.plane();
            AttributeList source = new AttributeList();
            put(source, TagFromName.ReferencedSOPClassUID, p.sopClassUid());
            put(source, TagFromName.ReferencedSOPInstanceUID, p.sopInstanceUid());
            if (p.frame() > 0) {
                put(source, TagFromName.ReferencedFrameNumber, p.frame());
            }
            sequence(source, PURPOSE_OF_REFERENCE, code("121322", "DCM",
                    "Source image for image processing operation"));
            AttributeList derivation = new AttributeList();
            sequence(derivation, TagFromName.DerivationCodeSequence, code("113076", "DCM", "Segmentation"));
            sequence(derivation, SOURCE_IMAGE, source);
            sequence(item, DERIVATION_IMAGE, derivation);
            perFrame[f] = item;
        }
        sequence(l, TagFromName.PerFrameFunctionalGroupsSequence, perFrame);

        // Common Instance Reference: every source instance, by series
        Map<String, Set<List<String>>> bySeries = new LinkedHashMap<>();
        for (AttributeList s : sources) {
            bySeries.computeIfAbsent(Attrs.string(s, TagFromName.SeriesInstanceUID), k -> new LinkedHashSet<>())
                    .add(List.of(Attrs.string(s, TagFromName.SOPClassUID),
                            Attrs.string(s, TagFromName.SOPInstanceUID)));
        }
        List<AttributeList> series = new ArrayList<>();
        for (var e : bySeries.entrySet()) {
            AttributeList item = new AttributeList();
            put(item, TagFromName.SeriesInstanceUID, e.getKey());
            List<AttributeList> instances = new ArrayList<>();
            for (List<String> ref : e.getValue()) {
                AttributeList r = new AttributeList();
                put(r, TagFromName.ReferencedSOPClassUID, ref.get(0));
                put(r, TagFromName.ReferencedSOPInstanceUID, ref.get(1));
                instances.add(r);
            }
            sequence(item, TagFromName.ReferencedInstanceSequence, instances.toArray(AttributeList[]::new));
            series.add(item);
        }
        sequence(l, REFERENCED_SERIES, series.toArray(AttributeList[]::new));

        OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
        pixels.setValues(fractional ? fractionFrames(parts, probabilities, frames) : packFrames(parts, frames));
        l.put(pixels);
        return l;
    }

    /** Writes a result object (SEG, SR, SC) as a Part 10 file, explicit VR little endian, atomically. */
    public static void write(AttributeList seg, Path file) throws IOException, DicomException {
        FileMetaInformation.addFileMetaInformation(seg, TransferSyntax.ExplicitVRLittleEndian, "MYOFLOW");
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        seg.write(part.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static final int MAX_FRACTION = 255;

    /** One frame: which segment (0-based), which grid slice, its index along the normal, position, source. */
    private record Frame(int segment, int z, int k, double[] position, SourcePlanes.Plane plane) {
    }

    /** Frames of rows x columns bytes: the first segment's probability x 255, the others 255 where set. */
    static byte[] fractionFrames(List<Part> parts, float[] p, List<Frame> frames) {
        Grid g = parts.get(0).mask().grid();
        int plane = g.nx() * g.ny();
        byte[] out = new byte[plane * frames.size() + (plane * frames.size()) % 2];
        for (int f = 0; f < frames.size(); f++) {
            Frame fr = frames.get(f);
            boolean[] m = parts.get(fr.segment()).mask().data();
            for (int i = 0; i < plane; i++) {
                int v = fr.z() * plane + i;
                float x = fr.segment() == 0 ? Math.max(0f, Math.min(1f, p[v])) : m[v] ? 1f : 0f;
                out[f * plane + i] = (byte) Math.round(x * MAX_FRACTION);
            }
        }
        return out;
    }

    /** Frames of rows x columns bits, packed least significant bit first, frames back to back (PS3.5 8.1.1). */
    static byte[] packFrames(List<Part> parts, List<Frame> frames) {
        Grid g = parts.get(0).mask().grid();
        long bits = (long) g.nx() * g.ny() * frames.size();
        byte[] out = new byte[(int) ((bits + 7) / 8 + ((bits + 7) / 8) % 2)]; // even length
        long bit = 0;
        for (Frame fr : frames) {
            BinaryMask m = parts.get(fr.segment()).mask();
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++, bit++) {
                    if (m.get(x, y, fr.z())) {
                        out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                    }
                }
            }
        }
        return out;
    }

    private static AttributeList dimension(String uid, AttributeTag pointer, AttributeTag group, String description)
            throws DicomException {
        AttributeList d = new AttributeList();
        AttributeTagAttribute p = new AttributeTagAttribute(DIMENSION_INDEX_POINTER);
        p.addValue(pointer);
        d.put(p);
        AttributeTagAttribute fg = new AttributeTagAttribute(FUNCTIONAL_GROUP_POINTER);
        fg.addValue(group);
        d.put(fg);
        put(d, DIMENSION_ORGANIZATION_UID, uid);
        put(d, DIMENSION_DESCRIPTION, description);
        return d;
    }

    private static AttributeTag t(int group, int element) {
        return new AttributeTag(group, element);
    }
}
