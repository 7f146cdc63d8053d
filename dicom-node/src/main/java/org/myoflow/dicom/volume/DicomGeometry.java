package org.myoflow.dicom.volume;

import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.Grid;

/**
 * A voxel grid in DICOM terms: Image Orientation (Patient) (row then column direction cosines), Pixel Spacing
 * (between rows, between columns), the spacing between slices and the position of the first frame's first pixel, all
 * in DICOM's LPS patient coordinates. Columns map to x, rows to y, frames to z; {@link Grid} affines are RAS (as
 * NIfTI), so x and y flip sign between the two.
 *
 * @param reversed true when the grid's z runs against the slice normal (row x column): frames are then written in
 *     reverse z order so they always progress along the normal
 */
public record DicomGeometry(double[] rowCosines, double[] columnCosines, double rowSpacing, double columnSpacing,
                            double sliceSpacing, double[] firstPosition, boolean reversed) {
    private static final double TOLERANCE = 1e-4;

    /** DICOM geometry of a grid; refuses grids whose slices are not stacked along their normal (tilt, shear). */
    public static DicomGeometry fromAffine(Grid g) {
        Affine a = g.affine();
        double[] cx = lps(a.get(0, 0), a.get(1, 0), a.get(2, 0));
        double[] cy = lps(a.get(0, 1), a.get(1, 1), a.get(2, 1));
        double[] cz = lps(a.get(0, 2), a.get(1, 2), a.get(2, 2));
        double[] origin = lps(a.get(0, 3), a.get(1, 3), a.get(2, 3));
        double sx = norm(cx), sy = norm(cy), sz = norm(cz);
        double[] row = scale(cx, 1 / sx), col = scale(cy, 1 / sy);
        if (Math.abs(dot(row, col)) > TOLERANCE) {
            throw new IllegalArgumentException("rows and columns are not perpendicular (sheared grid)");
        }
        double[] normal = cross(row, col);
        double along = dot(cz, normal) / sz;
        if (Math.abs(Math.abs(along) - 1) > TOLERANCE) {
            throw new IllegalArgumentException("slices are not stacked along their normal (gantry tilt or shear)");
        }
        boolean reversed = along < 0;
        double[] first = reversed ? add(origin, scale(cz, g.nz() - 1)) : origin;
        return new DicomGeometry(row, col, sy, sx, sz, first, reversed);
    }

    /** The grid of frames stacked along the normal from the first position. */
    public Grid toGrid(int columns, int rows, int frames) {
        double[] normal = normal();
        double[] cx = scale(rowCosines, columnSpacing), cy = scale(columnCosines, rowSpacing);
        double[] cz = scale(normal, sliceSpacing);
        // LPS -> RAS: negate x and y rows
        return new Grid(columns, rows, frames, new Affine(new double[] {
            -cx[0], -cy[0], -cz[0], -firstPosition[0],
            -cx[1], -cy[1], -cz[1], -firstPosition[1],
            cx[2], cy[2], cz[2], firstPosition[2]}));
    }

    /** Row x column: the direction frames progress in. */
    public double[] normal() {
        return cross(rowCosines, columnCosines);
    }

    /** Position (LPS, mm) of the first pixel of frame {@code k}. */
    public double[] framePosition(int k) {
        return add(firstPosition, scale(normal(), sliceSpacing * k));
    }

    /** The grid z of frame {@code k} (0-based) of {@code frames}. */
    public int frameToZ(int k, int frames) {
        return reversed ? frames - 1 - k : k;
    }

    public double[] orientation() {
        return new double[] {rowCosines[0], rowCosines[1], rowCosines[2], columnCosines[0], columnCosines[1],
            columnCosines[2]};
    }

    static double[] lps(double x, double y, double z) {
        return new double[] {-x, -y, z};
    }

    static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }
}
