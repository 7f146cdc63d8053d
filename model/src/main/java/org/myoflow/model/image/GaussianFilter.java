package org.myoflow.model.image;

import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * Separable Gaussian smoothing with scipy.ndimage's conventions (kernel truncated at 4 sigma, {@code reflect}
 * boundaries), so results can be checked against {@code scipy.ndimage.gaussian_filter}.
 */
public final class GaussianFilter {
    private static final double TRUNCATE = 4.0;

    private GaussianFilter() {
    }

    /** Smooths with a sigma given in voxels per axis; a sigma of 0 leaves that axis alone. */
    public static Volume smoothVoxels(Volume in, double sx, double sy, double sz) {
        Grid g = in.grid();
        float[] a = in.data().clone();
        float[] tmp = new float[a.length];
        int[] dims = g.dims();
        int[] strides = {1, g.nx(), g.nx() * g.ny()};
        double[] sig = {sx, sy, sz};
        for (int axis = 0; axis < 3; axis++) {
            if (sig[axis] <= 0) {
                continue;
            }
            double[] kernel = kernel(sig[axis]);
            convolveAxis(a, tmp, dims, strides, axis, kernel);
            float[] swap = a;
            a = tmp;
            tmp = swap;
        }
        return new Volume(g, a);
    }

    /** Smooths with a sigma in millimetres, converted per axis with the grid's spacing. */
    public static Volume smoothMm(Volume in, double sigmaMm) {
        double[] sp = in.grid().spacing();
        return smoothVoxels(in, sigmaMm / sp[0], sigmaMm / sp[1], sigmaMm / sp[2]);
    }

    static double[] kernel(double sigma) {
        int radius = (int) (TRUNCATE * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static void convolveAxis(float[] src, float[] dst, int[] dims, int[] strides, int axis, double[] k) {
        int n = dims[axis];
        int stride = strides[axis];
        int r = k.length / 2;
        double[] line = new double[n + 2 * r];
        int o1 = axis == 0 ? 1 : 0;
        int o2 = axis == 2 ? 1 : 2;
        for (int b = 0; b < dims[o2]; b++) {
            for (int a = 0; a < dims[o1]; a++) {
                int base = a * strides[o1] + b * strides[o2];
                for (int i = -r; i < n + r; i++) {
                    line[i + r] = src[base + Boundary.reflect(i, n) * stride];
                }
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < k.length; j++) {
                        s += k[j] * line[i + j];
                    }
                    dst[base + i * stride] = (float) s;
                }
            }
        }
    }
}
