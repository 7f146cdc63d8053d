package org.myoflow.model.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

class PostprocessorTest {
    private static final Grid G = Grid.of(16, 16, 16, 1, 1, 1);

    private static void cube(BinaryMask m, int x0, int y0, int z0, int side) {
        for (int z = z0; z < z0 + side; z++) {
            for (int y = y0; y < y0 + side; y++) {
                for (int x = x0; x < x0 + side; x++) {
                    m.set(x, y, z, true);
                }
            }
        }
    }

    @Test
    void eachStepDoesItsJob() {
        BinaryMask m = BinaryMask.empty(G);
        cube(m, 1, 1, 1, 6); // 216: the largest
        cube(m, 10, 10, 10, 4); // 64
        m.set(14, 1, 1, true); // 1 voxel
        assertEquals(216 + 64, Postprocessor.removeSmallObjects(m, 10).count());
        assertEquals(216, Postprocessor.largestComponent(m).count());
        m.set(3, 3, 3, false); // a hole
        PostprocessConfig fillOnly = new PostprocessConfig(0.5, 0, false, true, 0, 0, 0);
        assertTrue(new Postprocessor(fillOnly).clean(m).get(3, 3, 3));
        assertFalse(new Postprocessor(PostprocessConfig.none()).clean(m).get(3, 3, 3));
    }

    @Test
    void thresholdThenChainOnAProbabilityMap() {
        float[] p = new float[G.size()];
        BinaryMask truth = BinaryMask.empty(G);
        cube(truth, 4, 4, 4, 8);
        for (int i = 0; i < p.length; i++) {
            p[i] = truth.data()[i] ? 0.9f : 0.1f;
        }
        p[G.index(0, 0, 0)] = 0.95f; // isolated false positive
        p[G.index(7, 7, 7)] = 0.2f; // isolated false negative inside
        BinaryMask raw = new Postprocessor(PostprocessConfig.none()).apply(new Volume(G, p));
        assertEquals(512 - 1 + 1, raw.count());
        BinaryMask clean = new Postprocessor(PostprocessConfig.all()).apply(new Volume(G, p));
        assertFalse(clean.get(0, 0, 0));
        assertTrue(clean.get(7, 7, 7));
        // the 3x3x3 binary median removes convex edges and corners (an edge voxel sees 12 of 27): 12*6 + 8
        assertEquals(truth.count() - 80, clean.count());
        // sigma 1 before the 0.5 threshold keeps faces but rounds off edges: an edge voxel reads (0.5 + w0/2)^2 < 0.5
        PostprocessConfig wide = new PostprocessConfig(0.5, 0, false, false, 0, 0, 1.0);
        BinaryMask rounded = new Postprocessor(wide).clean(truth);
        assertTrue(rounded.get(8, 8, 4), "face centre kept");
        assertFalse(rounded.get(4, 8, 4), "edge removed");
        assertEquals(512 - (12 * 8 - 2 * 8), rounded.count()); // 12 edges of 8 voxels sharing 8 corners
    }
}
