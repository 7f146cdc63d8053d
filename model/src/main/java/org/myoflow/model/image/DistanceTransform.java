package org.myoflow.model.image;

import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/**
 * Exact squared Euclidean distance transform (Felzenszwalb and Huttenlocher's lower envelope of parabolas, one pass
 * per axis, O(n)), with per-axis spacing so distances can be in millimetres.
 */
public final class DistanceTransform {
    /** Distance value for "no feature anywhere". */
    public static final double FAR = 1e20;

    private DistanceTransform() {
    }

    /**
     * For every voxel, the squared distance to the nearest voxel where {@code feature} is true, with voxel edge
     * lengths {@code sx, sy, sz}. Everything is {@link #FAR} when there is no feature.
     */
    public static double[] squaredDistanceTo(boolean[] feature, Grid g, double sx, double sy, double sz) {
        double[] d = new double[feature.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = feature[i] ? 0 : FAR;
        }
        int[] dims = g.dims();
        int[] strides = {1, g.nx(), g.nx() * g.ny()};
        double[] w2 = {sx * sx, sy * sy, sz * sz};
        int maxN = Math.max(dims[0], Math.max(dims[1], dims[2]));
        double[] f = new double[maxN];
        double[] out = new double[maxN];
        int[] v = new int[maxN];
        double[] z = new double[maxN + 1];
        for (int axis = 0; axis < 3; axis++) {
            int n = dims[axis];
            int stride = strides[axis];
            int o1 = axis == 0 ? 1 : 0;
            int o2 = axis == 2 ? 1 : 2;
            for (int b = 0; b < dims[o2]; b++) {
                for (int a = 0; a < dims[o1]; a++) {
                    int base = a * strides[o1] + b * strides[o2];
                    boolean any = false;
                    for (int i = 0; i < n; i++) {
                        f[i] = d[base + i * stride];
                        any |= f[i] < FAR;
                    }
                    if (!any) {
                        continue;
                    }
                    envelope(f, out, n, w2[axis], v, z);
                    for (int i = 0; i < n; i++) {
                        d[base + i * stride] = out[i];
                    }
                }
            }
        }
        return d;
    }

    /** Squared distance in voxels to the nearest voxel of {@code mask}. */
    public static double[] squaredVoxelDistanceTo(BinaryMask mask) {
        return squaredDistanceTo(mask.data(), mask.grid(), 1, 1, 1);
    }

    private static void envelope(double[] f, double[] out, int n, double w2, int[] v, double[] z) {
        int k = 0;
        int first = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] < FAR) {
                first = q;
                break;
            }
        }
        v[0] = first;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = first + 1; q < n; q++) {
            if (f[q] >= FAR) {
                continue;
            }
            // Pop parabolas hidden by the new one; z[0] is -infinity, so this stops at k == 0.
            int p = v[k];
            double s = ((f[q] + w2 * q * q) - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
            while (s <= z[k]) {
                k--;
                p = v[k];
                s = ((f[q] + w2 * q * q) - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            double dq = q - v[k];
            out[q] = w2 * dq * dq + f[v[k]];
        }
    }
}
