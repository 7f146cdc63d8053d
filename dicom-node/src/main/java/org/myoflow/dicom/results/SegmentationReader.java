package org.myoflow.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/**
 * Reads a binary SEG onto a given voxel grid: every frame is placed by its own Plane Position (Patient) and the
 * orientation and pixel spacing, never by frame order, so SEGs from any writer (and frames in any order) land where
 * they belong. Pixels that fall outside the grid, or between its voxels, are refused.
 */
public final class SegmentationReader {
    private SegmentationReader() {
    }

    /** All segments merged; {@code segmentNumber} 0, or only frames of that segment. */
    public static BinaryMask read(AttributeList seg, Grid grid, int segmentNumber) {
        String type = Attribute.getSingleStringValueOrEmptyString(seg, new com.pixelmed.dicom.AttributeTag(0x0062,
                0x0001));
        boolean fractional = "FRACTIONAL".equals(type);
        if (!fractional && !"BINARY".equals(type)) {
            throw new IllegalArgumentException("unknown Segmentation Type " + type);
        }
        // a FRACTIONAL segment counts where it reaches half its maximum value
        int half = fractional ? (Attribute.getSingleIntegerValueOrDefault(seg, new com.pixelmed.dicom.AttributeTag(
                0x0062, 0x000E), 255) + 1) / 2 : 1;
        int rows = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.Columns, 0);
        int frames = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.NumberOfFrames, 1);
        byte[] bits;
        try {
            bits = seg.get(TagFromName.PixelData).getByteValues();
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IllegalArgumentException("unreadable Pixel Data: " + e.getMessage(), e);
        }
        SequenceAttribute shared = (SequenceAttribute) seg.get(TagFromName.SharedFunctionalGroupsSequence);
        SequenceAttribute perFrame = (SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        if (perFrame == null || perFrame.getNumberOfItems() != frames) {
            throw new IllegalArgumentException("Per-frame Functional Groups do not match Number of Frames");
        }
        Affine toVoxel = grid.affine().inverse();
        BinaryMask mask = BinaryMask.empty(grid);
        long bit = 0;
        for (int f = 0; f < frames; f++) {
            AttributeList item = perFrame.getItem(f).getAttributeList();
            double[] ipp = values(item, shared, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient);
            double[] iop = values(item, shared, TagFromName.PlaneOrientationSequence,
                    TagFromName.ImageOrientationPatient);
            double[] spacing = values(item, shared, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing);
            int segment = (int) values(item, shared, new com.pixelmed.dicom.AttributeTag(0x0062, 0x000A),
                    new com.pixelmed.dicom.AttributeTag(0x0062, 0x000B))[0];
            boolean wanted = segmentNumber == 0 || segment == segmentNumber;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++, bit++) {
                    boolean on = fractional ? (bits[(int) bit] & 0xff) >= half
                            : (bits[(int) (bit >>> 3)] & (1 << (bit & 7))) != 0;
                    if (!wanted || !on) {
                        continue;
                    }
                    // LPS position of pixel (r, c); the grid's affine is RAS
                    double x = ipp[0] + c * spacing[1] * iop[0] + r * spacing[0] * iop[3];
                    double y = ipp[1] + c * spacing[1] * iop[1] + r * spacing[0] * iop[4];
                    double z = ipp[2] + c * spacing[1] * iop[2] + r * spacing[0] * iop[5];
                    double[] v = toVoxel.apply(-x, -y, z);
                    int i = (int) Math.round(v[0]), j = (int) Math.round(v[1]), k = (int) Math.round(v[2]);
                    if (Math.abs(v[0] - i) > 0.01 || Math.abs(v[1] - j) > 0.01 || Math.abs(v[2] - k) > 0.01
                            || !grid.contains(i, j, k)) {
                        throw new IllegalArgumentException("SEG frame " + (f + 1) + " is not on the given grid");
                    }
                    mask.set(i, j, k, true);
                }
            }
        }
        return mask;
    }

    /**
     * Numbers of the segments whose Segmented Property Type has this code value (e.g. 74281007, myocardium); empty
     * when none has.
     */
    public static java.util.List<Integer> segmentsOfType(AttributeList seg, String codeValue) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        SequenceAttribute segments = (SequenceAttribute) seg.get(new com.pixelmed.dicom.AttributeTag(0x0062, 0x0002));
        for (int i = 0; segments != null && i < segments.getNumberOfItems(); i++) {
            AttributeList item = segments.getItem(i).getAttributeList();
            SequenceAttribute type = (SequenceAttribute) item.get(new com.pixelmed.dicom.AttributeTag(0x0062, 0x000F));
            if (type != null && type.getNumberOfItems() > 0 && codeValue.equals(Attribute
                    .getSingleStringValueOrEmptyString(type.getItem(0).getAttributeList(), TagFromName.CodeValue))) {
                out.add(Attribute.getSingleIntegerValueOrDefault(item, new com.pixelmed.dicom.AttributeTag(0x0062,
                        0x0004), 0));
            }
        }
        return out;
    }

    private static double[] values(AttributeList frame, SequenceAttribute shared,
                                   com.pixelmed.dicom.AttributeTag group, com.pixelmed.dicom.AttributeTag tag) {
        for (AttributeList l : new AttributeList[] {frame,
            shared == null || shared.getNumberOfItems() == 0 ? null : shared.getItem(0).getAttributeList()}) {
            if (l == null) {
                continue;
            }
            SequenceAttribute s = (SequenceAttribute) l.get(group);
            if (s != null && s.getNumberOfItems() > 0) {
                double[] v = Attribute.getDoubleValues(s.getItem(0).getAttributeList(), tag);
                if (v != null) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("SEG lacks " + tag + " in " + group);
    }
}
