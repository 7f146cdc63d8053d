package org.myoflow.model.volume;

import java.util.Arrays;

/**
 * A voxel-to-patient affine: {@code p = M * (i, j, k, 1)}, a 3x4 matrix in millimetres. Patient coordinates are RAS+
 * as in NIfTI (DICOM's LPS is converted at the DICOM edge).
 */
public record Affine(double[] rowMajor3x4) {

    public Affine {
        if (rowMajor3x4.length != 12) {
            throw new IllegalArgumentException("an affine needs 12 values (3 rows of 4), got " + rowMajor3x4.length);
        }
        rowMajor3x4 = rowMajor3x4.clone();
    }

    public static Affine identity() {
        return scaling(1, 1, 1);
    }

    public static Affine scaling(double sx, double sy, double sz) {
        return new Affine(new double[] {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0});
    }

    /** From a 4x4 (or 3x4) row-major matrix. */
    public static Affine of(double[][] rows) {
        double[] m = new double[12];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(rows[r], 0, m, r * 4, 4);
        }
        return new Affine(m);
    }

    public double get(int row, int col) {
        return rowMajor3x4[row * 4 + col];
    }

    public double[] apply(double i, double j, double k) {
        double[] m = rowMajor3x4;
        return new double[] {
            m[0] * i + m[1] * j + m[2] * k + m[3],
            m[4] * i + m[5] * j + m[6] * k + m[7],
            m[8] * i + m[9] * j + m[10] * k + m[11]
        };
    }

    /** {@code this * other}: first {@code other}, then this. */
    public Affine multiply(Affine other) {
        double[] a = rowMajor3x4;
        double[] b = other.rowMajor3x4;
        double[] c = new double[12];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 4; col++) {
                double s = col == 3 ? a[r * 4 + 3] : 0;
                for (int k = 0; k < 3; k++) {
                    s += a[r * 4 + k] * b[k * 4 + col];
                }
                c[r * 4 + col] = s;
            }
        }
        return new Affine(c);
    }

    public double determinant() {
        double[] m = rowMajor3x4;
        return m[0] * (m[5] * m[10] - m[6] * m[9])
                - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    public Affine inverse() {
        double det = determinant();
        if (Math.abs(det) < 1e-12) {
            throw new IllegalStateException("affine is singular: " + this);
        }
        double[] m = rowMajor3x4;
        double[] inv = new double[12];
        inv[0] = (m[5] * m[10] - m[6] * m[9]) / det;
        inv[1] = (m[2] * m[9] - m[1] * m[10]) / det;
        inv[2] = (m[1] * m[6] - m[2] * m[5]) / det;
        inv[4] = (m[6] * m[8] - m[4] * m[10]) / det;
        inv[5] = (m[0] * m[10] - m[2] * m[8]) / det;
        inv[6] = (m[2] * m[4] - m[0] * m[6]) / det;
        inv[8] = (m[4] * m[9] - m[5] * m[8]) / det;
        inv[9] = (m[1] * m[8] - m[0] * m[9]) / det;
        inv[10] = (m[0] * m[5] - m[1] * m[4]) / det;
        for (int r = 0; r < 3; r++) {
            inv[r * 4 + 3] = -(inv[r * 4] * m[3] + inv[r * 4 + 1] * m[7] + inv[r * 4 + 2] * m[11]);
        }
        return new Affine(inv);
    }

    /** Voxel edge lengths in mm: the norms of the three columns. */
    public double[] voxelSize() {
        double[] s = new double[3];
        for (int c = 0; c < 3; c++) {
            s[c] = Math.sqrt(get(0, c) * get(0, c) + get(1, c) * get(1, c) + get(2, c) * get(2, c));
        }
        return s;
    }

    public double voxelVolumeMm3() {
        return Math.abs(determinant());
    }

    public double maxAbsDifference(Affine other) {
        double d = 0;
        for (int i = 0; i < 12; i++) {
            d = Math.max(d, Math.abs(rowMajor3x4[i] - other.rowMajor3x4[i]));
        }
        return d;
    }

    public double[][] toRows4x4() {
        double[][] rows = new double[4][4];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(rowMajor3x4, r * 4, rows[r], 0, 4);
        }
        rows[3][3] = 1;
        return rows;
    }

    @Override
    public double[] rowMajor3x4() {
        return rowMajor3x4.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine a && Arrays.equals(rowMajor3x4, a.rowMajor3x4);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rowMajor3x4);
    }

    @Override
    public String toString() {
        return "Affine" + Arrays.toString(rowMajor3x4);
    }
}
