package org.myoflow.model.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myoflow.model.image.ConnectedComponents;
import org.myoflow.model.image.Morphology;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

class SpectPhantomTest {

    @Test
    void reproducibleBySeed() {
        PhantomCase a = SpectPhantom.generate("x", 42, PhantomOptions.challenging(2));
        PhantomCase b = SpectPhantom.generate("x", 42, PhantomOptions.challenging(2));
        PhantomCase c = SpectPhantom.generate("x", 43, PhantomOptions.challenging(2));
        assertArrayEquals(a.image().data(), b.image().data());
        assertArrayEquals(a.myocardium().data(), b.myocardium().data());
        assertFalse(java.util.Arrays.equals(a.image().data(), c.image().data()));
    }

    @Test
    void oneCameraResolutionKeepsTheAnatomyAndChangesOnlyTheBlur() {
        PhantomCase drawn = SpectPhantom.generate("a", 11, PhantomOptions.normal());
        PhantomCase fixed = SpectPhantom.generate("a", 11, PhantomOptions.normal().withPsfFwhm(14.0));
        assertEquals(14.0, fixed.parameters().psfFwhmMm());
        assertTrue(drawn.parameters().psfFwhmMm() >= 12 && drawn.parameters().psfFwhmMm() <= 16);
        assertArrayEquals(drawn.myocardium().data(), fixed.myocardium().data(), "same anatomy");
        assertEquals(drawn.parameters().wallThickness(), fixed.parameters().wallThickness());
        assertFalse(java.util.Arrays.equals(drawn.image().data(), fixed.image().data()), "different blur");
    }

    @Test
    void myocardiumIsAPlausibleShellOpenAtTheBase() {
        for (long seed = 100; seed < 106; seed++) {
            PhantomCase p = SpectPhantom.generate("s" + seed, seed, PhantomOptions.mixed(seed));
            BinaryMask myo = p.myocardium();
            double ml = myo.volumeMl();
            assertTrue(ml > 50 && ml < 250, "myocardial volume " + ml + " mL, seed " + seed);
            assertEquals(1, ConnectedComponents.label(myo, ConnectedComponents.FULL).count(), "one piece");
            // open at the base: filling holes adds nothing, the cavity stays outside
            assertEquals(myo.count(), Morphology.fillHoles(myo).count(), "seed " + seed);
            assertTrue(p.cavity().count() > 0);
            for (int i = 0; i < myo.data().length; i++) {
                assertFalse(myo.data()[i] && p.cavity().data()[i], "myocardium and cavity are disjoint");
            }
        }
    }

    @Test
    void countsAreHigherInMyocardiumThanInBloodPoolAndDefectsReduceUptakeOnly() {
        PhantomCase normal = SpectPhantom.generate("n", 7, new PhantomOptions(PhantomOptions.Extracardiac.LOW, 0));
        PhantomCase defect = SpectPhantom.generate("d", 7, new PhantomOptions(PhantomOptions.Extracardiac.LOW, 2));
        double myo = mean(normal.image(), normal.myocardium());
        double pool = mean(normal.image(), normal.cavity());
        // the cavity receives spill-over from the blurred wall: clinically about half the wall's counts
        assertTrue(myo > 1.5 * pool, "myocardium " + myo + " vs blood pool " + pool);
        for (float v : normal.image().data()) {
            assertTrue(v >= 0 && Float.isFinite(v));
        }
        assertEquals(2, defect.parameters().defects().size());
        assertTrue(mean(defect.image(), defect.myocardium()) < myo, "a defect lowers myocardial counts");
    }

    @Test
    void hotLiverCanOutshineTheHeart() {
        int hotter = 0;
        for (long seed = 0; seed < 8; seed++) {
            PhantomCase p = SpectPhantom.generate("h", seed, PhantomOptions.challenging(1));
            if (p.parameters().liverUptake() > 1.0) {
                hotter++;
                float maxMyo = 0;
                for (int i = 0; i < p.image().data().length; i++) {
                    if (p.myocardium().data()[i]) {
                        maxMyo = Math.max(maxMyo, p.image().data()[i]);
                    }
                }
                assertTrue(p.image().max() > maxMyo, "the brightest voxel is outside the heart, seed " + seed);
            }
        }
        assertTrue(hotter > 0);
    }

    private static double mean(Volume v, BinaryMask m) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < v.data().length; i++) {
            if (m.data()[i]) {
                s += v.data()[i];
                n++;
            }
        }
        return s / n;
    }
}
