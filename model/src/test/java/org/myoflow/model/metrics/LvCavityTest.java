package org.myoflow.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;

/** The cavity derived from the ground-truth myocardium against the phantom's own blood-pool label. */
class LvCavityTest {

    @Test
    void cavityFromTheMyocardiumMatchesThePhantomsBloodPool() {
        for (int i = 0; i < 8; i++) {
            PhantomCase p = SpectPhantom.generate("cav", 300 + i, PhantomOptions.mixed(i));
            SegmentationMetrics m = Metrics.compare(LvCavity.fromMyocardium(p.myocardium()), p.cavity());
            assertTrue(m.dice() > 0.95, "case " + i + ": Dice " + m.dice());
            assertTrue(Math.abs(m.volumeErrorPercent()) < 5, "case " + i + ": volume error " + m.volumeErrorPercent());
        }
    }

    @Test
    void aFlatSheetEnclosesNothing() {
        PhantomCase p = SpectPhantom.generate("cav", 399, PhantomOptions.normal());
        BinaryMask sheet = BinaryMask.empty(p.myocardium().grid());
        for (int y = 10; y < 30; y++) {
            for (int x = 10; x < 30; x++) {
                sheet.set(x, y, 20, true);
            }
        }
        assertEquals(0, LvCavity.fromMyocardium(sheet).count());
        assertEquals(0, LvCavity.fromMyocardium(BinaryMask.empty(sheet.grid())).count());
    }
}
