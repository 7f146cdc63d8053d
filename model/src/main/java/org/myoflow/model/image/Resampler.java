package org.myoflow.model.image;

import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * Resizing a volume to a new shape over the same physical extent. Voxel centres map as
 * {@code src = (dst + 0.5) * in/out - 0.5} (the convention of {@code skimage.transform.resize} and
 * {@code scipy.ndimage.zoom(grid_mode=True)}); beyond the outermost centres values are clamped. The output grid's
 * affine is the input's composed with that mapping, so every voxel keeps its physical position.
 */
public final class Resampler {
    private Resampler() {
    }

    /** The grid of shape {@code (nx, ny, nz)} covering the same physical box as {@code g}. */
    public static Grid resizedGrid(Grid g, int nx, int ny, int nz) {
        double sx = (double) g.nx() / nx, sy = (double) g.ny() / ny, sz = (double) g.nz() / nz;
        Affine newToOld = new Affine(new double[] {
            sx, 0, 0, 0.5 * sx - 0.5,
            0, sy, 0, 0.5 * sy - 0.5,
            0, 0, sz, 0.5 * sz - 0.5});
        return new Grid(nx, ny, nz, g.affine().multiply(newToOld));
    }

    /** Trilinear resize: three separable linear passes, exactly the tensor-product interpolation. */
    public static Volume trilinear(Volume in, int nx, int ny, int nz) {
        Grid g = in.grid();
        float[] a = in.data();
        int[] dims = g.dims();
        int[] target = {nx, ny, nz};
        for (int axis = 0; axis < 3; axis++) {
            if (dims[axis] == target[axis]) {
                continue;
            }
            a = linearAxis(a, dims, axis, target[axis]);
            dims = dims.clone();
            dims[axis] = target[axis];
        }
        if (a == in.data()) {
            a = a.clone();
        }
        return new Volume(resizedGrid(g, nx, ny, nz), a);
    }

    /** Nearest-neighbour resize for labels: no new values are invented. */
    public static BinaryMask nearest(BinaryMask in, int nx, int ny, int nz) {
        Grid g = in.grid();
        int[] ix = nearestIndex(g.nx(), nx), iy = nearestIndex(g.ny(), ny), iz = nearestIndex(g.nz(), nz);
        boolean[] src = in.data();
        boolean[] out = new boolean[nx * ny * nz];
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                int row = g.nx() * (iy[y] + g.ny() * iz[z]);
                for (int x = 0; x < nx; x++) {
                    out[i++] = src[row + ix[x]];
                }
            }
        }
        return new BinaryMask(resizedGrid(g, nx, ny, nz), out);
    }

    private static int[] nearestIndex(int in, int out) {
        double scale = (double) in / out;
        int[] idx = new int[out];
        for (int d = 0; d < out; d++) {
            idx[d] = Math.min(in - 1, (int) Math.floor((d + 0.5) * scale));
        }
        return idx;
    }

    private static float[] linearAxis(float[] src, int[] dims, int axis, int outN) {
        int inN = dims[axis];
        double scale = (double) inN / outN;
        int[] lo = new int[outN];
        float[] w = new float[outN];
        for (int d = 0; d < outN; d++) {
            double s = Math.max(0, Math.min(inN - 1, (d + 0.5) * scale - 0.5));
            int l = Math.min((int) Math.floor(s), inN - 2 < 0 ? 0 : inN - 2);
            lo[d] = l;
            w[d] = inN == 1 ? 0f : (float) (s - l);
        }
        int[] od = dims.clone();
        od[axis] = outN;
        float[] dst = new float[od[0] * od[1] * od[2]];
        int inStride = axis == 0 ? 1 : axis == 1 ? dims[0] : dims[0] * dims[1];
        int outStride = axis == 0 ? 1 : axis == 1 ? od[0] : od[0] * od[1];
        int hiStep = inN == 1 ? 0 : inStride;
        if (axis == 0) {
            int lines = dims[1] * dims[2];
            for (int line = 0; line < lines; line++) {
                int ib = line * inN, ob = line * outN;
                for (int d = 0; d < outN; d++) {
                    float v0 = src[ib + lo[d]], v1 = src[ib + lo[d] + hiStep];
                    dst[ob + d] = v0 + w[d] * (v1 - v0);
                }
            }
            return dst;
        }
        // axes 1 and 2: whole contiguous rows blend at once (cache-friendly)
        int rowLen = inStride;
        int outer = axis == 1 ? dims[2] : 1;
        int inBlock = inStride * inN, outBlock = outStride * outN;
        for (int b = 0; b < outer; b++) {
            for (int d = 0; d < outN; d++) {
                int s0 = b * inBlock + lo[d] * inStride;
                int s1 = s0 + hiStep;
                int o = b * outBlock + d * outStride;
                float wd = w[d];
                for (int k = 0; k < rowLen; k++) {
                    float v0 = src[s0 + k];
                    dst[o + k] = v0 + wd * (src[s1 + k] - v0);
                }
            }
        }
        return dst;
    }

    /** Crops to the half-open voxel box and keeps the physical position of every voxel. */
    public static Volume crop(Volume in, VoxelBox box) {
        Grid cg = croppedGrid(in.grid(), box);
        float[] out = new float[cg.size()];
        copyBox(in.data(), in.grid(), out, box, true);
        return new Volume(cg, out);
    }

    public static BinaryMask crop(BinaryMask in, VoxelBox box) {
        Grid cg = croppedGrid(in.grid(), box);
        boolean[] out = new boolean[cg.size()];
        copyBox(in.data(), in.grid(), out, box, true);
        return new BinaryMask(cg, out);
    }

    /** Places a cropped mask back at {@code box} in an otherwise empty mask on {@code full}. */
    public static BinaryMask uncrop(BinaryMask cropped, VoxelBox box, Grid full) {
        boolean[] out = new boolean[full.size()];
        copyBox(out, full, cropped.data(), box, false);
        return new BinaryMask(full, out);
    }

    /** Places a cropped volume back at {@code box}, {@code fill} elsewhere. */
    public static Volume uncrop(Volume cropped, VoxelBox box, Grid full, float fill) {
        float[] out = new float[full.size()];
        java.util.Arrays.fill(out, fill);
        copyBox(out, full, cropped.data(), box, false);
        return new Volume(full, out);
    }

    /**
     * Row-wise copy between a full-grid array and a box-sized array of the same element type: out of the full array
     * when {@code intoBox}, back into it otherwise.
     */
    private static void copyBox(Object full, Grid g, Object boxed, VoxelBox box, boolean intoBox) {
        int w = box.x1() - box.x0();
        int i = 0;
        for (int z = box.z0(); z < box.z1(); z++) {
            for (int y = box.y0(); y < box.y1(); y++) {
                int row = g.index(box.x0(), y, z);
                if (intoBox) {
                    System.arraycopy(full, row, boxed, i, w);
                } else {
                    System.arraycopy(boxed, i, full, row, w);
                }
                i += w;
            }
        }
    }

    static Grid croppedGrid(Grid g, VoxelBox box) {
        box.requireInside(g);
        Affine shift = new Affine(new double[] {1, 0, 0, box.x0(), 0, 1, 0, box.y0(), 0, 0, 1, box.z0()});
        return new Grid(box.x1() - box.x0(), box.y1() - box.y0(), box.z1() - box.z0(), g.affine().multiply(shift));
    }
}
