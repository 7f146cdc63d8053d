package org.myoflow.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/** Dilation and erosion (direct offsets for small balls, distance transform for large) against the definition. */
class MorphologyBruteForceTest {

    @Test
    void dilationAndErosionMatchTheDefinitionForEveryRadius() {
        Random rnd = new Random(11);
        Grid g = Grid.of(13, 11, 9, 1, 1, 1);
        for (int radius = 1; radius <= 4; radius++) {
            for (int trial = 0; trial < 3; trial++) {
                boolean[] m = new boolean[g.size()];
                double p = trial == 0 ? 0.05 : trial == 1 ? 0.5 : 0.9;
                for (int i = 0; i < m.length; i++) {
                    m[i] = rnd.nextDouble() < p;
                }
                BinaryMask mask = new BinaryMask(g, m);
                assertArrayEquals(brute(m, g, radius, true), Morphology.dilate(mask, radius).data(), "dilate r=" + radius);
                assertArrayEquals(brute(m, g, radius, false), Morphology.erode(mask, radius).data(), "erode r=" + radius);
            }
        }
    }

    private static boolean[] brute(boolean[] m, Grid g, int r, boolean dilate) {
        boolean[] out = new boolean[m.length];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    boolean acc = !dilate;
                    for (int dz = -r; dz <= r; dz++) {
                        for (int dy = -r; dy <= r; dy++) {
                            for (int dx = -r; dx <= r; dx++) {
                                if (dx * dx + dy * dy + dz * dz > r * r) {
                                    continue;
                                }
                                int xx = x + dx, yy = y + dy, zz = z + dz;
                                // outside: background for dilation, foreground for erosion
                                boolean v = g.contains(xx, yy, zz) ? m[g.index(xx, yy, zz)] : !dilate;
                                acc = dilate ? acc || v : acc && v;
                            }
                        }
                    }
                    out[g.index(x, y, z)] = acc;
                }
            }
        }
        return out;
    }
}
