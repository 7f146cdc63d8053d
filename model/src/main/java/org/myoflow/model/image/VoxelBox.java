package org.myoflow.model.image;

import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/** A half-open box of voxel indices {@code [x0, x1) x [y0, y1) x [z0, z1)}. */
public record VoxelBox(int x0, int y0, int z0, int x1, int y1, int z1) {

    public VoxelBox {
        if (x1 <= x0 || y1 <= y0 || z1 <= z0) {
            throw new IllegalArgumentException("empty voxel box " + x0 + ".." + x1 + ", " + y0 + ".." + y1 + ", "
                    + z0 + ".." + z1);
        }
    }

    public static VoxelBox whole(Grid g) {
        return new VoxelBox(0, 0, 0, g.nx(), g.ny(), g.nz());
    }

    /** The bounding box of the mask grown by {@code margin} voxels and clipped to the grid, or the whole grid if empty. */
    public static VoxelBox boundingBox(BinaryMask mask, int margin) {
        Grid g = mask.grid();
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, z0 = Integer.MAX_VALUE, x1 = -1, y1 = -1, z1 = -1;
        boolean[] m = mask.data();
        for (int z = 0, i = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++, i++) {
                    if (m[i]) {
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        z0 = Math.min(z0, z);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                        z1 = Math.max(z1, z);
                    }
                }
            }
        }
        if (x1 < 0) {
            return whole(g);
        }
        return new VoxelBox(Math.max(0, x0 - margin), Math.max(0, y0 - margin), Math.max(0, z0 - margin),
                Math.min(g.nx(), x1 + 1 + margin), Math.min(g.ny(), y1 + 1 + margin), Math.min(g.nz(), z1 + 1 + margin));
    }

    void requireInside(Grid g) {
        if (x0 < 0 || y0 < 0 || z0 < 0 || x1 > g.nx() || y1 > g.ny() || z1 > g.nz()) {
            throw new IllegalArgumentException("voxel box " + this + " exceeds grid " + g.shapeString());
        }
    }
}
