package org.myoflow.dicom.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * A series of single-frame images (CT, PET, MR) as one volume. Slices are ordered by their position along the slice
 * normal (Instance Number is not trusted). Refused, with the reason: mixed sizes, spacings or orientations, gantry tilt
 * (positions not along the normal), duplicate positions and non-uniform spacing.
 */
public final class SingleFrameStackVolume {
    private static final double ORIENTATION_TOLERANCE = 1e-4;
    private static final double POSITION_TOLERANCE_MM = 0.01;

    private SingleFrameStackVolume() {
    }

    public static Volume read(List<AttributeList> instances) throws SeriesVolumeException, DicomException {
        if (instances.isEmpty()) {
            throw new SeriesVolumeException("empty series");
        }
        AttributeList first = instances.get(0);
        int rows = Attribute.getSingleIntegerValueOrDefault(first, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(first, TagFromName.Columns, 0);
        double[] spacing = FiniteValues.requireSpacing(Attribute.getDoubleValues(first, TagFromName.PixelSpacing),
                "Pixel Spacing");
        double[] iop = FiniteValues.require(Attribute.getDoubleValues(first, TagFromName.ImageOrientationPatient),
                "Image Orientation (Patient)");
        if (rows < 1 || cols < 1 || spacing == null || spacing.length != 2 || iop == null || iop.length != 6) {
            throw new SeriesVolumeException("missing Rows/Columns, Pixel Spacing or Image Orientation (Patient)");
        }
        double[] row = {iop[0], iop[1], iop[2]}, col = {iop[3], iop[4], iop[5]};
        double[] normal = DicomGeometry.cross(row, col);
        record Slice(AttributeList list, double[] position, double distance) {
        }
        List<Slice> slices = new ArrayList<>();
        for (AttributeList l : instances) {
            if (Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0) != rows
                    || Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0) != cols) {
                throw new SeriesVolumeException("instances differ in Rows/Columns");
            }
            double[] o = FiniteValues.require(Attribute.getDoubleValues(l, TagFromName.ImageOrientationPatient),
                    "Image Orientation (Patient)");
            double[] s = FiniteValues.require(Attribute.getDoubleValues(l, TagFromName.PixelSpacing),
                    "Pixel Spacing");
            if (o == null || o.length != 6 || s == null || s.length != 2) {
                throw new SeriesVolumeException("an instance lacks Image Orientation (Patient) or Pixel Spacing");
            }
            for (int i = 0; i < 6; i++) {
                if (Math.abs(o[i] - iop[i]) > ORIENTATION_TOLERANCE) {
                    throw new SeriesVolumeException("mixed orientations in one series: " + Attribute
                            .getDelimitedStringValuesOrEmptyString(l, TagFromName.ImageOrientationPatient));
                }
            }
            if (Math.abs(s[0] - spacing[0]) > 1e-6 || Math.abs(s[1] - spacing[1]) > 1e-6) {
                throw new SeriesVolumeException("instances differ in Pixel Spacing");
            }
            double[] p = FiniteValues.require(Attribute.getDoubleValues(l, TagFromName.ImagePositionPatient),
                    "Image Position (Patient)");
            if (p == null || p.length != 3) {
                throw new SeriesVolumeException("an instance lacks Image Position (Patient)");
            }
            slices.add(new Slice(l, p, DicomGeometry.dot(p, normal)));
        }
        slices.sort(Comparator.comparingDouble(Slice::distance));
        double step = slices.size() > 1 ? slices.get(1).distance() - slices.get(0).distance() : 1;
        if (slices.size() > 1 && step < POSITION_TOLERANCE_MM) {
            throw new SeriesVolumeException("two instances share a slice position");
        }
        double[] origin = slices.get(0).position();
        for (int k = 1; k < slices.size(); k++) {
            double gap = slices.get(k).distance() - slices.get(k - 1).distance();
            if (Math.abs(gap - step) > POSITION_TOLERANCE_MM) {
                throw new SeriesVolumeException(String.format(
                        "non-uniform slice spacing: %.3f mm then %.3f mm at slice %d (missing slice?)", step, gap, k));
            }
            double[] d = DicomGeometry.add(slices.get(k).position(), DicomGeometry.scale(origin, -1));
            double[] expected = DicomGeometry.scale(normal, slices.get(k).distance() - slices.get(0).distance());
            double off = DicomGeometry.norm(DicomGeometry.add(d, DicomGeometry.scale(expected, -1)));
            if (off > POSITION_TOLERANCE_MM * k + 1e-3) {
                throw new SeriesVolumeException(String.format(
                        "slices are not stacked along their normal (gantry tilt?): %.3f mm off at slice %d", off, k));
            }
        }
        DicomGeometry geo = new DicomGeometry(row, col, spacing[0], spacing[1], step, origin, false);
        Grid grid = geo.toGrid(cols, rows, slices.size());
        float[] data = new float[grid.size()];
        int plane = rows * cols;
        for (int k = 0; k < slices.size(); k++) {
            System.arraycopy(PixelValues.read(slices.get(k).list(), plane), 0, data, k * plane, plane);
        }
        return new Volume(grid, data);
    }
}
