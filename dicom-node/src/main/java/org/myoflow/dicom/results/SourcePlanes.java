package org.myoflow.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.NmTags;

import java.util.ArrayList;
import java.util.List;

/**
 * Every image plane of a source series with where it lies: one per single-frame instance, one per frame of a
 * multi-frame one (NM: Detector Information position plus the slice vector; enhanced: per-frame Plane Position). A
 * derived object's frame references the plane found at its own position, so references never depend on how the
 * volume was ordered.
 */
record SourcePlanes(List<Plane> planes) {

    /** One plane: its instance, its frame (0 for single-frame instances) and its first pixel's position (LPS mm). */
    record Plane(String sopClassUid, String sopInstanceUid, int frame, double[] position) {
    }

    static SourcePlanes of(List<AttributeList> sources) {
        List<Plane> planes = new ArrayList<>();
        for (AttributeList l : sources) {
            String cls = Attrs.string(l, TagFromName.SOPClassUID);
            String sop = Attrs.string(l, TagFromName.SOPInstanceUID);
            int frames = Attrs.integer(l, TagFromName.NumberOfFrames, 1);
            SequenceAttribute perFrame = (SequenceAttribute) l.get(TagFromName.PerFrameFunctionalGroupsSequence);
            SequenceAttribute detector = (SequenceAttribute) l.get(NmTags.DETECTOR_INFORMATION_SEQUENCE);
            if (perFrame != null) {
                for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
                    SequenceAttribute pos = (SequenceAttribute) perFrame.getItem(f).getAttributeList()
                            .get(TagFromName.PlanePositionSequence);
                    double[] p = pos == null ? null : Attribute.getDoubleValues(pos.getItem(0).getAttributeList(),
                            TagFromName.ImagePositionPatient);
                    planes.add(new Plane(cls, sop, f + 1, p));
                }
            } else if (detector != null && frames > 1) {
                AttributeList d = detector.getItem(0).getAttributeList();
                double[] ipp = Attribute.getDoubleValues(d, TagFromName.ImagePositionPatient);
                double[] iop = Attribute.getDoubleValues(d, TagFromName.ImageOrientationPatient);
                double between = Attribute.getSingleDoubleValueOrDefault(l, TagFromName.SpacingBetweenSlices,
                        Attribute.getSingleDoubleValueOrDefault(l, TagFromName.SliceThickness, 0));
                double[] n = iop == null ? null : new double[] {iop[1] * iop[5] - iop[2] * iop[4],
                    iop[2] * iop[3] - iop[0] * iop[5], iop[0] * iop[4] - iop[1] * iop[3]};
                for (int f = 0; f < frames; f++) {
                    double[] p = ipp == null || n == null ? null : new double[] {ipp[0] + f * between * n[0],
                        ipp[1] + f * between * n[1], ipp[2] + f * between * n[2]};
                    planes.add(new Plane(cls, sop, f + 1, p));
                }
            } else {
                planes.add(new Plane(cls, sop, 0, Attribute.getDoubleValues(l, TagFromName.ImagePositionPatient)));
            }
        }
        return new SourcePlanes(planes);
    }

    /** The plane at {@code position}, within {@code toleranceMm}; null when none is. */
    Plane at(double[] position, double toleranceMm) {
        Plane best = null;
        double bestDistance = toleranceMm;
        for (Plane p : planes) {
            if (p.position() == null) {
                continue;
            }
            double dx = p.position()[0] - position[0], dy = p.position()[1] - position[1];
            double dz = p.position()[2] - position[2];
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            if (d <= bestDistance) {
                best = p;
                bestDistance = d;
            }
        }
        return best;
    }
}
