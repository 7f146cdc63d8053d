package org.myoflow.model.image;

import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * Binary morphology on masks. Spherical structuring elements (all offsets with |d|^2 <= r^2, in voxels, as
 * {@code skimage.morphology.ball}) are applied through the exact distance transform, so the cost does not grow with
 * the radius.
 */
public final class Morphology {
    private Morphology() {
    }

    /**
     * Smoothing of the signed distance in {@link #offsetToCount}, in voxels. Compared on 30 training-range phantoms
     * the network never trained on (U-Net v1, calibrated): 1 voxel cost 0.015 Dice against the uncorrected masks,
     * 0.5 voxel 0.002, and 0.01 (no smoothing) could not reach the asked volume; all else equal.
     */
    private static final double OFFSET_SMOOTHING = 0.5;

    /** Up to this radius the ball's offsets are applied directly; beyond it, the distance transform is cheaper. */
    private static final int DIRECT_MAX_RADIUS = 2;

    public static BinaryMask dilate(BinaryMask mask, int radius) {
        if (radius <= 0) {
            return mask.copy();
        }
        if (radius <= DIRECT_MAX_RADIUS) {
            return new BinaryMask(mask.grid(), shiftCombine(mask.data(), mask.grid(), radius, true));
        }
        double[] d2 = DistanceTransform.squaredVoxelDistanceTo(mask);
        boolean[] out = new boolean[d2.length];
        double r2 = (double) radius * radius;
        for (int i = 0; i < out.length; i++) {
            out[i] = d2[i] <= r2;
        }
        return new BinaryMask(mask.grid(), out);
    }

    /** Erosion; outside the grid counts as foreground (as skimage's binary_erosion does), so borders do not eat in. */
    public static BinaryMask erode(BinaryMask mask, int radius) {
        if (radius <= 0) {
            return mask.copy();
        }
        if (radius <= DIRECT_MAX_RADIUS) {
            return new BinaryMask(mask.grid(), shiftCombine(mask.data(), mask.grid(), radius, false));
        }
        boolean[] m = mask.data();
        boolean[] background = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            background[i] = !m[i];
        }
        double[] d2 = DistanceTransform.squaredDistanceTo(background, mask.grid(), 1, 1, 1);
        boolean[] out = new boolean[m.length];
        double r2 = (double) radius * radius;
        for (int i = 0; i < out.length; i++) {
            out[i] = d2[i] > r2;
        }
        return new BinaryMask(mask.grid(), out);
    }

    /**
     * OR (dilation) or AND (erosion) of the mask shifted by every offset of the ball. Outside the grid reads as
     * background for dilation and foreground for erosion (as skimage does).
     */
    private static boolean[] shiftCombine(boolean[] m, Grid g, int r, boolean dilate) {
        int nx = g.nx(), ny = g.ny(), nz = g.nz();
        boolean[] out = m.clone();
        for (int dz = -r; dz <= r; dz++) {
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    if (dx * dx + dy * dy + dz * dz > r * r || (dx | dy | dz) == 0) {
                        continue;
                    }
                    int x0 = Math.max(0, -dx), x1 = Math.min(nx, nx - dx);
                    for (int z = 0; z < nz; z++) {
                        int zz = z + dz;
                        boolean zIn = zz >= 0 && zz < nz;
                        for (int y = 0; y < ny; y++) {
                            int yy = y + dy;
                            int row = nx * (y + ny * z);
                            if (!zIn || yy < 0 || yy >= ny) {
                                continue; // the whole row reads outside: no change for either operation
                            }
                            int srcRow = nx * (yy + ny * zz) + dx;
                            if (dilate) {
                                for (int x = x0; x < x1; x++) {
                                    out[row + x] |= m[srcRow + x];
                                }
                            } else {
                                for (int x = x0; x < x1; x++) {
                                    out[row + x] &= m[srcRow + x];
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Dilation then erosion with a ball of {@code radius} voxels: closes gaps and notches narrower than the ball. */
    public static BinaryMask close(BinaryMask mask, int radius) {
        return erode(dilate(mask, radius), radius);
    }

    /**
     * Grows or shrinks a mask along its surface normals, by about the same distance everywhere, until it holds
     * {@code voxels} voxels: a level set of the signed distance to the mask's surface. The distance is smoothed first
     * ({@link #OFFSET_SMOOTHING}): on the grid it takes only a few values near the surface (one voxel, the square root
     * of two, ...), so a whole layer would come or go at once, while the smoothed field varies continuously and lets
     * the surface move by fractions of a voxel.
     */
    public static BinaryMask offsetToCount(BinaryMask mask, int voxels) {
        Grid g = mask.grid();
        boolean[] m = mask.data();
        if (voxels <= 0) {
            return BinaryMask.empty(g);
        }
        if (mask.isEmpty() || voxels == mask.count()) {
            return mask.copy();
        }
        double[] s = g.spacing();
        boolean[] outside = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            outside[i] = !m[i];
        }
        double[] toMask = DistanceTransform.squaredDistanceTo(m, g, s[0], s[1], s[2]);
        double[] toOutside = DistanceTransform.squaredDistanceTo(outside, g, s[0], s[1], s[2]);
        float[] signed = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            // inside: minus the distance to the nearest outside voxel; outside: the distance to the nearest mask voxel
            signed[i] = (float) (m[i] ? -Math.sqrt(Math.min(toOutside[i], 1e12))
                    : Math.sqrt(Math.min(toMask[i], 1e12)));
        }
        float[] smooth = GaussianFilter.smoothVoxels(new Volume(g, signed), OFFSET_SMOOTHING,
                OFFSET_SMOOTHING, OFFSET_SMOOTHING).data();
        float[] sorted = smooth.clone();
        java.util.Arrays.sort(sorted);
        float level = sorted[Math.min(voxels, sorted.length) - 1];
        boolean[] out = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = smooth[i] <= level;
        }
        return new BinaryMask(g, out);
    }

    /**
     * Fills holes: background not 6-connected to the grid border becomes foreground (as
     * {@code scipy.ndimage.binary_fill_holes}). A cup open to the outside, like the LV shell at its base, is not a hole.
     */
    public static BinaryMask fillHoles(BinaryMask mask) {
        Grid g = mask.grid();
        boolean[] m = mask.data();
        boolean[] background = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            background[i] = !m[i];
        }
        ConnectedComponents cc = ConnectedComponents.label(new BinaryMask(g, background), ConnectedComponents.FACE);
        int[] labels = cc.labels();
        boolean[] outside = new boolean[cc.count() + 1];
        int nx = g.nx(), ny = g.ny(), nz = g.nz();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                boolean faceRow = z == 0 || z == nz - 1 || y == 0 || y == ny - 1;
                for (int x = 0; x < nx; x += faceRow ? 1 : Math.max(1, nx - 1)) {
                    outside[labels[g.index(x, y, z)]] = true;
                }
            }
        }
        boolean[] out = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i] || !outside[labels[i]];
        }
        return new BinaryMask(g, out);
    }

    /**
     * Binary median over a (2r+1)^3 cube: a voxel is set when more than half of its window is set. Windows are
     * mirrored at the border as {@code scipy.ndimage.median_filter(mode='reflect')}. Three separable box sums.
     */
    public static BinaryMask median(BinaryMask mask, int radius) {
        if (radius <= 0) {
            return mask.copy();
        }
        Grid g = mask.grid();
        boolean[] m = mask.data();
        int[] a = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            a[i] = m[i] ? 1 : 0;
        }
        int[] b = new int[m.length];
        int[] dims = g.dims();
        int[] strides = {1, g.nx(), g.nx() * g.ny()};
        for (int axis = 0; axis < 3; axis++) {
            boxSumAxis(a, b, dims, strides, axis, radius);
            int[] t = a;
            a = b;
            b = t;
        }
        int side = 2 * radius + 1;
        int half = side * side * side / 2;
        boolean[] out = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = a[i] > half;
        }
        return new BinaryMask(g, out);
    }

    private static void boxSumAxis(int[] src, int[] dst, int[] dims, int[] strides, int axis, int r) {
        int n = dims[axis];
        int stride = strides[axis];
        int o1 = axis == 0 ? 1 : 0;
        int o2 = axis == 2 ? 1 : 2;
        for (int b = 0; b < dims[o2]; b++) {
            for (int a = 0; a < dims[o1]; a++) {
                int base = a * strides[o1] + b * strides[o2];
                int sum = 0;
                for (int i = -r; i <= r; i++) {
                    sum += src[base + Boundary.reflect(i, n) * stride];
                }
                for (int i = 0; i < n; i++) {
                    dst[base + i * stride] = sum;
                    sum += src[base + Boundary.reflect(i + r + 1, n) * stride]
                            - src[base + Boundary.reflect(i - r, n) * stride];
                }
            }
        }
    }
}
