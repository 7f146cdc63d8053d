package org.myoflow.model.volume;

import java.util.Objects;

/** A binary label (e.g. the LV myocardium) on a {@link Grid}. The array is owned by the mask. */
public final class BinaryMask {
    private final Grid grid;
    private final boolean[] data;

    public BinaryMask(Grid grid, boolean[] data) {
        this.grid = Objects.requireNonNull(grid, "grid");
        this.data = Objects.requireNonNull(data, "data");
        if (data.length != grid.size()) {
            throw new IllegalArgumentException(
                    "mask has " + data.length + " voxels but grid " + grid.shapeString() + " needs " + grid.size());
        }
    }

    public static BinaryMask empty(Grid grid) {
        return new BinaryMask(grid, new boolean[grid.size()]);
    }

    /** Voxels of {@code labels} that are non-zero. */
    public static BinaryMask fromLabels(Volume labels) {
        float[] v = labels.data();
        boolean[] m = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = v[i] != 0;
        }
        return new BinaryMask(labels.grid(), m);
    }

    public Grid grid() {
        return grid;
    }

    /** The voxel array itself (not a copy). */
    public boolean[] data() {
        return data;
    }

    public boolean get(int x, int y, int z) {
        return data[grid.index(x, y, z)];
    }

    public void set(int x, int y, int z, boolean v) {
        data[grid.index(x, y, z)] = v;
    }

    public int count() {
        int n = 0;
        for (boolean b : data) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    public boolean isEmpty() {
        for (boolean b : data) {
            if (b) {
                return false;
            }
        }
        return true;
    }

    /** Whether slice {@code z} holds any voxel of the label. */
    public boolean anyInSlice(int z) {
        int plane = grid.nx() * grid.ny();
        for (int i = z * plane; i < (z + 1) * plane; i++) {
            if (data[i]) {
                return true;
            }
        }
        return false;
    }

    /** Volume of the label in millilitres. */
    public double volumeMl() {
        return count() * grid.voxelVolumeMm3() / 1000.0;
    }

    public BinaryMask copy() {
        return new BinaryMask(grid, data.clone());
    }

    /** As a 0/1 float volume (for writing, smoothing or training). */
    public Volume toVolume() {
        float[] v = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            v[i] = data[i] ? 1f : 0f;
        }
        return new Volume(grid, v);
    }

    /** Centroid in voxel coordinates, or null when empty. */
    public double[] centroidVoxel() {
        double sx = 0, sy = 0, sz = 0;
        long n = 0;
        for (int z = 0, i = 0; z < grid.nz(); z++) {
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++, i++) {
                    if (data[i]) {
                        sx += x;
                        sy += y;
                        sz += z;
                        n++;
                    }
                }
            }
        }
        return n == 0 ? null : new double[] {sx / n, sy / n, sz / n};
    }
}
