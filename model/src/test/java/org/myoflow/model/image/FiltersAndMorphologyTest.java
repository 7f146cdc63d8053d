package org.myoflow.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

class FiltersAndMorphologyTest {

    @Test
    void gaussianMatchesDirectConvolutionWithReflectedBorders() {
        Grid g = Grid.of(9, 7, 6, 1, 1, 1);
        Random rnd = new Random(3);
        float[] d = new float[g.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextFloat();
        }
        Volume in = new Volume(g, d);
        double sx = 1.3, sy = 0.7, sz = 2.0;
        Volume out = GaussianFilter.smoothVoxels(in, sx, sy, sz);
        double[] kx = GaussianFilter.kernel(sx), ky = GaussianFilter.kernel(sy), kz = GaussianFilter.kernel(sz);
        int rx = kx.length / 2, ry = ky.length / 2, rz = kz.length / 2;
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double s = 0;
                    for (int c = -rz; c <= rz; c++) {
                        for (int b = -ry; b <= ry; b++) {
                            for (int a = -rx; a <= rx; a++) {
                                s += kx[a + rx] * ky[b + ry] * kz[c + rz] * in.get(Boundary.reflect(x + a, 9),
                                        Boundary.reflect(y + b, 7), Boundary.reflect(z + c, 6));
                            }
                        }
                    }
                    assertEquals(s, out.get(x, y, z), 1e-5);
                }
            }
        }
        // a constant stays constant; mass is kept
        Volume ones = GaussianFilter.smoothVoxels(new Volume(g, filled(g.size(), 2f)), 1.5, 1.5, 1.5);
        for (float v : ones.data()) {
            assertEquals(2f, v, 1e-5);
        }
    }

    @Test
    void componentsDependOnConnectivity() {
        BinaryMask m = BinaryMask.empty(Grid.of(4, 4, 4, 1, 1, 1));
        m.set(0, 0, 0, true);
        m.set(1, 1, 1, true); // corner neighbour only
        m.set(3, 3, 3, true);
        m.set(3, 3, 2, true);
        assertEquals(3, ConnectedComponents.label(m, ConnectedComponents.FACE).count());
        ConnectedComponents full = ConnectedComponents.label(m, ConnectedComponents.FULL);
        assertEquals(2, full.count());
        assertEquals(2, full.size(1));
        assertEquals(2, full.size(2));
    }

    @Test
    void fillHolesFillsEnclosedCavitiesButNotOpenCups() {
        BinaryMask box = hollowBox(false);
        assertEquals(26, box.count());
        assertEquals(27, Morphology.fillHoles(box).count());
        BinaryMask cup = hollowBox(true);
        assertEquals(cup.count(), Morphology.fillHoles(cup).count(), "an open cup has no hole");
    }

    @Test
    void closingBridgesAOneVoxelGapAndDilationIsABall() {
        // a 3x3 bar with a one-voxel slab missing: the ball-1 closing restores the slab's centre only
        // (away from the grid border: erosion counts outside as foreground, as skimage does)
        BinaryMask m = BinaryMask.empty(Grid.of(13, 7, 7, 1, 1, 1));
        for (int z = 2; z < 5; z++) {
            for (int y = 2; y < 5; y++) {
                for (int x = 2; x < 11; x++) {
                    m.set(x, y, z, x != 6);
                }
            }
        }
        BinaryMask closed = Morphology.close(m, 1);
        assertTrue(closed.get(6, 3, 3));
        assertFalse(closed.get(6, 2, 3));
        assertEquals(73, closed.count());

        BinaryMask dot = BinaryMask.empty(Grid.of(7, 7, 7, 1, 1, 1));
        dot.set(3, 3, 3, true);
        assertEquals(7, Morphology.dilate(dot, 1).count()); // 6-neighbourhood ball
        assertEquals(33, Morphology.dilate(dot, 2).count()); // |d|^2 <= 4
        assertEquals(1, Morphology.erode(Morphology.dilate(dot, 2), 2).count());
    }

    @Test
    void medianRemovesSaltAndKeepsSolidRegions() {
        BinaryMask m = BinaryMask.empty(Grid.of(8, 8, 8, 1, 1, 1));
        m.set(1, 1, 1, true);
        for (int z = 3; z < 8; z++) {
            for (int y = 3; y < 8; y++) {
                for (int x = 3; x < 8; x++) {
                    m.set(x, y, z, true);
                }
            }
        }
        BinaryMask med = Morphology.median(m, 1);
        assertFalse(med.get(1, 1, 1));
        assertTrue(med.get(7, 7, 7), "reflected border keeps the corner of a block touching it");
        assertTrue(med.get(5, 5, 5));
        assertFalse(med.get(3, 3, 3), "a convex corner (8 of 27 set) goes");
    }

    @Test
    void resizeKeepsPhysicalPositionsAndLinearRamps() {
        Grid g = new Grid(10, 8, 6, org.myoflow.model.volume.Affine.of(new double[][] {
            {-2, 0, 0, 50}, {0, -3, 0, 20}, {0, 0, 4, -10}}));
        float[] d = new float[g.size()];
        for (int z = 0; z < 6; z++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 10; x++) {
                    d[g.index(x, y, z)] = x + 10 * y + 100 * z;
                }
            }
        }
        Volume r = Resampler.trilinear(new Volume(g, d), 5, 16, 6);
        // the physical box is the same: the corner of voxel (-0.5, -0.5, -0.5) maps to the same point
        assertArrayEquals(g.affine().apply(-0.5, -0.5, -0.5), r.grid().affine().apply(-0.5, -0.5, -0.5), 1e-9);
        assertArrayEquals(g.affine().apply(9.5, 7.5, 5.5), r.grid().affine().apply(4.5, 15.5, 5.5), 1e-9);
        // a linear ramp is reproduced exactly inside (x halves: src x = 2 i + 0.5)
        assertEquals(2 * 2 + 0.5 + 10 * ((7 + 0.5) / 2 - 0.5) + 100 * 3, r.get(2, 7, 3), 1e-4);
        // down and up again: a mask survives nearest resizing
        BinaryMask m = new Volume(g, d).threshold(300);
        BinaryMask back = Resampler.nearest(Resampler.nearest(m, 20, 16, 12), 10, 8, 6);
        assertArrayEquals(m.data(), back.data());
    }

    private static BinaryMask hollowBox(boolean openTop) {
        BinaryMask m = BinaryMask.empty(Grid.of(5, 5, 5, 1, 1, 1));
        for (int z = 1; z <= 3; z++) {
            for (int y = 1; y <= 3; y++) {
                for (int x = 1; x <= 3; x++) {
                    boolean centre = x == 2 && y == 2 && z == 2;
                    boolean lid = openTop && x == 2 && y == 2 && z == 3;
                    m.set(x, y, z, !centre && !lid);
                }
            }
        }
        return m;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
