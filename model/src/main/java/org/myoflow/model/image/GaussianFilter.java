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
        int r = k.length / 2;
        float[] kf = new float[k.length];
        for (int j = 0; j < k.length; j++) {
            kf[j] = (float) k[j];
        }
        if (axis == 0) {
            float[] line = new float[n + 2 * r];
            int lines = dims[1] * dims[2];
            for (int l = 0; l < lines; l++) {
                int base = l * n;
                System.arraycopy(src, base, line, r, n);
                for (int i = 1; i <= r; i++) {
                    line[r - i] = src[base + Boundary.reflect(-i, n)];
                    line[r + n - 1 + i] = src[base + Boundary.reflect(n - 1 + i, n)];
                }
                for (int i = 0; i < n; i++) {
                    float s = 0;
                    for (int j = 0; j < kf.length; j++) {
                        s += kf[j] * line[i + j];
                    }
                    dst[base + i] = s;
                }
            }
            return;
        }
        // y and z: blend whole contiguous rows (x runs, or x-y planes) so the inner loop is sequential
        int stride = strides[axis];
        int outer = axis == 1 ? dims[2] : 1;
        int block = stride * n;
        for (int b = 0; b < outer; b++) {
            int base = b * block;
            for (int i = 0; i < n; i++) {
                int o = base + i * stride;
                java.util.Arrays.fill(dst, o, o + stride, 0f);
                for (int j = 0; j < kf.length; j++) {
                    int srcRow = base + Boundary.reflect(i + j - r, n) * stride;
                    float w = kf[j];
                    for (int x = 0; x < stride; x++) {
                        dst[o + x] += w * src[srcRow + x];
                    }
                }
            }
        }
    }
}
