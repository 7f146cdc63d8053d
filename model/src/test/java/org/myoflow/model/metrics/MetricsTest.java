package org.myoflow.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

class MetricsTest {

    private static BinaryMask block(Grid g, int x0, int x1, int y0, int y1, int z0, int z1) {
        BinaryMask m = BinaryMask.empty(g);
        for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    m.set(x, y, z, true);
                }
            }
        }
        return m;
    }

    @Test
    void overlapAndVolumeOfShiftedBlocks() {
        Grid g = Grid.of(20, 10, 10, 2, 2, 2); // 8 mm^3 voxels
        BinaryMask ref = block(g, 2, 6, 2, 6, 2, 6); // 64 voxels
        BinaryMask pred = block(g, 3, 7, 2, 6, 2, 6); // shifted by one voxel in x: 48 shared
        SegmentationMetrics m = Metrics.compare(pred, ref);
        assertEquals(2.0 * 48 / 128, m.dice(), 1e-12);
        assertEquals(48.0 / 80, m.iou(), 1e-12);
        assertEquals(64 * 8 / 1000.0, m.referenceMl(), 1e-12);
        assertEquals(0.0, m.volumeErrorPercent(), 1e-12);
    }

    @Test
    void surfaceDistancesOfAShiftAreTheShiftInMillimetres() {
        Grid g = Grid.of(30, 12, 12, 1.5, 1, 1);
        BinaryMask ref = block(g, 2, 8, 2, 8, 2, 8);
        BinaryMask pred = block(g, 6, 12, 2, 8, 2, 8); // shifted 4 voxels = 6 mm along x
        SegmentationMetrics m = Metrics.compare(pred, ref);
        // Faces perpendicular to x are 6 mm apart; faces parallel to x overlap where the blocks overlap (0 mm) and
        // are up to 6 mm away where they do not: the 95th percentile is the full shift.
        assertEquals(6.0, m.hd95Mm(), 1e-9);
        SegmentationMetrics self = Metrics.compare(ref, ref);
        assertEquals(1.0, self.dice());
        assertEquals(0.0, self.hd95Mm());
        assertEquals(0.0, self.meanSurfaceDistanceMm());
    }

    @Test
    void singleVoxelsGiveExactDistances() {
        Grid g = Grid.of(10, 10, 10, 2, 3, 4);
        BinaryMask a = BinaryMask.empty(g);
        BinaryMask b = BinaryMask.empty(g);
        a.set(1, 1, 1, true);
        b.set(4, 5, 1, true); // (3*2, 4*3, 0) = (6, 12, 0) mm: |d| = sqrt(180)
        SegmentationMetrics m = Metrics.compare(a, b);
        assertEquals(Math.sqrt(180), m.hd95Mm(), 1e-9);
        assertEquals(Math.sqrt(180), m.meanSurfaceDistanceMm(), 1e-9);
        assertEquals(0.0, m.dice());
    }

    @Test
    void emptyMasks() {
        Grid g = Grid.of(4, 4, 4, 1, 1, 1);
        assertEquals(1.0, Metrics.compare(BinaryMask.empty(g), BinaryMask.empty(g)).dice());
        BinaryMask one = block(g, 0, 1, 0, 1, 0, 1);
        SegmentationMetrics m = Metrics.compare(BinaryMask.empty(g), one);
        assertEquals(0.0, m.dice());
        assertEquals(Double.POSITIVE_INFINITY, m.hd95Mm());
        assertEquals(-100.0, m.volumeErrorPercent(), 1e-12);
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        assertEquals(4.6, Metrics.percentile(new double[] {1, 2, 3, 4, 5}, 90), 1e-12);
        assertEquals(3.0, Metrics.percentile(new double[] {5, 1, 3}, 50), 1e-12);
    }
}
