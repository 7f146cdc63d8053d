package org.myoflow.dicom.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.myoflow.dicom.Attrs;
import org.myoflow.model.volume.Volume;

/**
 * An enhanced multi-frame instance (Enhanced MR/CT/PET, legacy-converted) as a volume: each frame's Plane Position
 * (Patient) from the Per-frame Functional Groups, orientation, pixel spacing and rescale from the Shared (or
 * per-frame) groups. Frames are then stacked exactly as single-frame instances are, with the same refusals
 * (non-uniform spacing, tilt, mixed orientations).
 */
public final class EnhancedMultiFrameVolume {
    private static final AttributeTag PIXEL_VALUE_TRANSFORMATION = new AttributeTag(0x0028, 0x9145);

    private EnhancedMultiFrameVolume() {
    }

    public static Volume read(AttributeList l) throws SeriesVolumeException, DicomException {
        int rows = Attrs.integer(l, TagFromName.Rows, 0);
        int cols = Attrs.integer(l, TagFromName.Columns, 0);
        int frames = Attrs.integer(l, TagFromName.NumberOfFrames, 1);
        int bits = Attrs.integer(l, TagFromName.BitsAllocated, 16);
        SequenceAttribute perFrame = (SequenceAttribute) l.get(TagFromName.PerFrameFunctionalGroupsSequence);
        SequenceAttribute shared = (SequenceAttribute) l.get(TagFromName.SharedFunctionalGroupsSequence);
        if (perFrame == null || perFrame.getNumberOfItems() != frames) {
            throw new SeriesVolumeException("Per-frame Functional Groups Sequence missing or not one item per frame");
        }
        Attribute pd = l.get(TagFromName.PixelData);
        if (pd == null) {
            throw new SeriesVolumeException("no Pixel Data");
        }
        int plane = rows * cols;
        short[] words = bits == 16 ? pd.getShortValues() : null;
        byte[] bytes = bits == 8 ? pd.getByteValues() : null;
        if (words == null && bytes == null) {
            throw new SeriesVolumeException("Bits Allocated " + bits + " is not supported (8 or 16)");
        }
        List<AttributeList> slices = new ArrayList<>(frames);
        for (int f = 0; f < frames; f++) {
            AttributeList frame = perFrame.getItem(f).getAttributeList();
            AttributeList s = new AttributeList();
            copy(l, s, TagFromName.Rows, TagFromName.Columns, TagFromName.BitsAllocated,
                    TagFromName.PixelRepresentation);
            copy(macro(frame, shared, TagFromName.PlanePositionSequence), s, TagFromName.ImagePositionPatient);
            copy(macro(frame, shared, TagFromName.PlaneOrientationSequence), s, TagFromName.ImageOrientationPatient);
            copy(macro(frame, shared, TagFromName.PixelMeasuresSequence), s, TagFromName.PixelSpacing);
            AttributeList transform = macro(frame, shared, PIXEL_VALUE_TRANSFORMATION);
            copy(transform != null ? transform : l, s, TagFromName.RescaleSlope, TagFromName.RescaleIntercept);
            if (words != null) {
                if (words.length < (f + 1) * plane) {
                    throw new SeriesVolumeException("Pixel Data is shorter than " + frames + " frames");
                }
                OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
                a.setValues(Arrays.copyOfRange(words, f * plane, (f + 1) * plane));
                s.put(a);
            } else {
                if (bytes.length < (f + 1) * plane) {
                    throw new SeriesVolumeException("Pixel Data is shorter than " + frames + " frames");
                }
                OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
                a.setValues(Arrays.copyOfRange(bytes, f * plane, (f + 1) * plane));
                s.put(a);
            }
            slices.add(s);
        }
        return SingleFrameStackVolume.read(slices);
    }

    /** The first item of a functional group macro, per-frame first, else shared; null when neither has it. */
    private static AttributeList macro(AttributeList frame, SequenceAttribute shared, AttributeTag tag) {
        SequenceAttribute s = (SequenceAttribute) frame.get(tag);
        if ((s == null || s.getNumberOfItems() == 0) && shared != null && shared.getNumberOfItems() > 0) {
            s = (SequenceAttribute) shared.getItem(0).getAttributeList().get(tag);
        }
        return s == null || s.getNumberOfItems() == 0 ? null : s.getItem(0).getAttributeList();
    }

    private static void copy(AttributeList from, AttributeList to, AttributeTag... tags) {
        if (from == null) {
            return;
        }
        for (AttributeTag t : tags) {
            Attribute a = from.get(t);
            if (a != null) {
                to.put(a);
            }
        }
    }
}
