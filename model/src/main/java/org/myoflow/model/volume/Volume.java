package org.myoflow.model.volume;

import java.util.Objects;

/** A scalar image on a {@link Grid}: float voxels, x fastest. The array is owned by the volume. */
public final class Volume {
    private final Grid grid;
    private final float[] data;

    public Volume(Grid grid, float[] data) {
        this.grid = Objects.requireNonNull(grid, "grid");
        this.data = Objects.requireNonNull(data, "data");
        if (data.length != grid.size()) {
            throw new IllegalArgumentException(
                    "volume data has " + data.length + " voxels but grid " + grid.shapeString() + " needs " + grid.size());
        }
    }

    public static Volume zeros(Grid grid) {
        return new Volume(grid, new float[grid.size()]);
    }

    public Grid grid() {
        return grid;
    }

    /** The voxel array itself (not a copy): hot loops read and write it directly. */
    public float[] data() {
        return data;
    }

    public float get(int x, int y, int z) {
        return data[grid.index(x, y, z)];
    }

    public void set(int x, int y, int z, float v) {
        data[grid.index(x, y, z)] = v;
    }

    public Volume copy() {
        return new Volume(grid, data.clone());
    }

    /** Same voxels on a different geometry (e.g. after a lossless reorientation of the affine). */
    public Volume withGrid(Grid newGrid) {
        if (!newGrid.sameShape(grid)) {
            throw new IllegalArgumentException("shape " + newGrid.shapeString() + " differs from " + grid.shapeString());
        }
        return new Volume(newGrid, data);
    }

    public float min() {
        float m = Float.POSITIVE_INFINITY;
        for (float v : data) {
            m = Math.min(m, v);
        }
        return m;
    }

    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            m = Math.max(m, v);
        }
        return m;
    }

    public double mean() {
        double s = 0;
        for (float v : data) {
            s += v;
        }
        return s / data.length;
    }

    /** Voxels at or above {@code threshold} as a mask. */
    public BinaryMask threshold(float threshold) {
        boolean[] m = new boolean[data.length];
        for (int i = 0; i < data.length; i++) {
            m[i] = data[i] >= threshold;
        }
        return new BinaryMask(grid, m);
    }

    @Override
    public String toString() {
        return "Volume[" + grid.shapeString() + ", spacing=" + java.util.Arrays.toString(grid.spacing()) + "]";
    }
}
