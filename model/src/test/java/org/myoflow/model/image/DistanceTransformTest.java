package org.myoflow.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.myoflow.model.volume.Grid;

class DistanceTransformTest {

    @Test
    void matchesBruteForceOnRandomAnisotropicGrids() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            Grid g = Grid.of(3 + rnd.nextInt(9), 2 + rnd.nextInt(9), 1 + rnd.nextInt(7), 1, 1, 1);
            boolean[] f = new boolean[g.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = rnd.nextDouble() < 0.08;
            }
            double sx = 0.5 + rnd.nextDouble() * 3, sy = 0.5 + rnd.nextDouble() * 3, sz = 0.5 + rnd.nextDouble() * 3;
            double[] d = DistanceTransform.squaredDistanceTo(f, g, sx, sy, sz);
            for (int z = 0; z < g.nz(); z++) {
                for (int y = 0; y < g.ny(); y++) {
                    for (int x = 0; x < g.nx(); x++) {
                        double best = DistanceTransform.FAR;
                        for (int zz = 0; zz < g.nz(); zz++) {
                            for (int yy = 0; yy < g.ny(); yy++) {
                                for (int xx = 0; xx < g.nx(); xx++) {
                                    if (f[g.index(xx, yy, zz)]) {
                                        double dx = (x - xx) * sx, dy = (y - yy) * sy, dz = (z - zz) * sz;
                                        best = Math.min(best, dx * dx + dy * dy + dz * dz);
                                    }
                                }
                            }
                        }
                        assertEquals(best, d[g.index(x, y, z)], 1e-9 * Math.max(1, best), "trial " + trial);
                    }
                }
            }
        }
    }
}
