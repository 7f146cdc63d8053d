package org.myoflow.model.image;

import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/** Labelling of connected components of a mask, 6- or 26-connected. */
public final class ConnectedComponents {

    /** Face neighbours only. */
    public static final int FACE = 6;
    /** Face, edge and corner neighbours. */
    public static final int FULL = 26;

    private final int[] labels;
    private final int[] sizes;
    private final Grid grid;

    private ConnectedComponents(Grid grid, int[] labels, int[] sizes) {
        this.grid = grid;
        this.labels = labels;
        this.sizes = sizes;
    }

    /** Labels 1..n for components (0 is background), in scan order of their first voxel. */
    public static ConnectedComponents label(BinaryMask mask, int connectivity) {
        Grid g = mask.grid();
        boolean[] m = mask.data();
        int[] offsets = neighbourOffsets(connectivity);
        int[] labels = new int[m.length];
        int[] queue = new int[m.length];
        int[] sizes = new int[16];
        int next = 0;
        int nx = g.nx(), ny = g.ny(), nz = g.nz();
        for (int seed = 0; seed < m.length; seed++) {
            if (!m[seed] || labels[seed] != 0) {
                continue;
            }
            next++;
            if (next >= sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
            }
            int head = 0, tail = 0;
            queue[tail++] = seed;
            labels[seed] = next;
            while (head < tail) {
                int i = queue[head++];
                int x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
                for (int o = 0; o < offsets.length; o += 3) {
                    int xx = x + offsets[o], yy = y + offsets[o + 1], zz = z + offsets[o + 2];
                    if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                        continue;
                    }
                    int j = xx + nx * (yy + ny * zz);
                    if (m[j] && labels[j] == 0) {
                        labels[j] = next;
                        queue[tail++] = j;
                    }
                }
            }
            sizes[next] = tail;
        }
        return new ConnectedComponents(g, labels, java.util.Arrays.copyOf(sizes, next + 1));
    }

    static int[] neighbourOffsets(int connectivity) {
        if (connectivity != FACE && connectivity != FULL) {
            throw new IllegalArgumentException("connectivity must be 6 or 26, got " + connectivity);
        }
        int[] o = new int[connectivity * 3];
        int n = 0;
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int manhattan = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                    if (manhattan == 0 || (connectivity == FACE && manhattan > 1)) {
                        continue;
                    }
                    o[n++] = dx;
                    o[n++] = dy;
                    o[n++] = dz;
                }
            }
        }
        return o;
    }

    public int count() {
        return sizes.length - 1;
    }

    /** Voxel count of component {@code label} (1-based). */
    public int size(int label) {
        return sizes[label];
    }

    /** The label of each voxel, 0 for background. */
    public int[] labels() {
        return labels;
    }

    /** Label of the largest component, or 0 when there is none; ties go to the first in scan order. */
    public int largest() {
        int best = 0;
        for (int l = 1; l < sizes.length; l++) {
            if (best == 0 || sizes[l] > sizes[best]) {
                best = l;
            }
        }
        return best;
    }

    public BinaryMask component(int label) {
        boolean[] m = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            m[i] = labels[i] == label;
        }
        return new BinaryMask(grid, m);
    }
}
