package org.myoflow.model.metrics;

import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/**
 * The LV cavity (blood pool) derived from a myocardium mask: the space the myocardial cup encloses. A voxel outside
 * the wall is cavity when rays along most of the 26 lattice directions meet the wall within {@value #REACH_MM} mm; the
 * rays that leave through the open base miss, which bounds the cavity at the valve plane. The largest such region is
 * kept. Morphological closing and hole filling were tried first: the base opening is as wide as the cavity, so no
 * ball closes one without the other. On the phantoms' own cavity labels this gives Dice 0.98-1.00 and volumes within
 * 3 % (see {@code LvCavityTest}).
 */
public final class LvCavity {
    static final double REACH_MM = 80;
    /** Directions (of 26) that must meet the wall. */
    static final int ENCLOSED_DIRECTIONS = 14;
    private static final int[][] DIRECTIONS = directions();

    private LvCavity() {
    }

    /** The cavity; empty when the mask encloses nothing. */
    public static BinaryMask fromMyocardium(BinaryMask myocardium) {
        Grid g = myocardium.grid();
        if (myocardium.isEmpty()) {
            return BinaryMask.empty(g);
        }
        int[] lo = {g.nx(), g.ny(), g.nz()}, hi = {-1, -1, -1};
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (myocardium.get(x, y, z)) {
                        lo[0] = Math.min(lo[0], x);
                        lo[1] = Math.min(lo[1], y);
                        lo[2] = Math.min(lo[2], z);
                        hi[0] = Math.max(hi[0], x);
                        hi[1] = Math.max(hi[1], y);
                        hi[2] = Math.max(hi[2], z);
                    }
                }
            }
        }
        double[] spacing = g.spacing();
        int steps = (int) Math.ceil(REACH_MM / Math.min(spacing[0], Math.min(spacing[1], spacing[2])));
        boolean[] cavity = new boolean[g.size()];
        // only inside the wall's bounding box can a voxel be enclosed
        for (int z = lo[2]; z <= hi[2]; z++) {
            for (int y = lo[1]; y <= hi[1]; y++) {
                for (int x = lo[0]; x <= hi[0]; x++) {
                    if (!myocardium.get(x, y, z) && enclosed(myocardium, x, y, z, steps)) {
                        cavity[g.index(x, y, z)] = true;
                    }
                }
            }
        }
        BinaryMask c = new BinaryMask(g, cavity);
        return c.isEmpty() ? c : Postprocessor.largestComponent(c);
    }

    private static boolean enclosed(BinaryMask m, int x, int y, int z, int steps) {
        Grid g = m.grid();
        int hits = 0;
        for (int d = 0; d < DIRECTIONS.length; d++) {
            int[] v = DIRECTIONS[d];
            for (int s = 1; s <= steps; s++) {
                int xx = x + v[0] * s, yy = y + v[1] * s, zz = z + v[2] * s;
                if (!g.contains(xx, yy, zz)) {
                    break;
                }
                if (m.get(xx, yy, zz)) {
                    hits++;
                    break;
                }
            }
            if (hits >= ENCLOSED_DIRECTIONS) {
                return true;
            }
            if (hits + (DIRECTIONS.length - d - 1) < ENCLOSED_DIRECTIONS) {
                return false;
            }
        }
        return false;
    }

    private static int[][] directions() {
        int[][] d = new int[26][];
        int n = 0;
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (dx != 0 || dy != 0 || dz != 0) {
                        d[n++] = new int[] {dx, dy, dz};
                    }
                }
            }
        }
        return d;
    }
}
