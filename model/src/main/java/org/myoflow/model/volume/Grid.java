package org.myoflow.model.volume;

/**
 * The geometry of a 3-D voxel grid: its dimensions and its voxel-to-patient affine. Voxels are stored with x varying
 * fastest ({@code index = x + nx * (y + ny * z)}), as NIfTI stores them.
 */
public record Grid(int nx, int ny, int nz, Affine affine) {

    public Grid {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("grid dimensions must be positive: " + nx + "x" + ny + "x" + nz);
        }
        if ((long) nx * ny * nz > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("grid too large: " + nx + "x" + ny + "x" + nz);
        }
    }

    public static Grid of(int nx, int ny, int nz, double sx, double sy, double sz) {
        return new Grid(nx, ny, nz, Affine.scaling(sx, sy, sz));
    }

    public int size() {
        return nx * ny * nz;
    }

    public int[] dims() {
        return new int[] {nx, ny, nz};
    }

    public int index(int x, int y, int z) {
        return x + nx * (y + ny * z);
    }

    public boolean contains(int x, int y, int z) {
        return x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz;
    }

    /** Voxel spacing in mm along x, y, z (column norms of the affine). */
    public double[] spacing() {
        return affine.voxelSize();
    }

    public double voxelVolumeMm3() {
        return affine.voxelVolumeMm3();
    }

    public boolean sameShape(Grid other) {
        return nx == other.nx && ny == other.ny && nz == other.nz;
    }

    public String shapeString() {
        return nx + "x" + ny + "x" + nz;
    }
}
