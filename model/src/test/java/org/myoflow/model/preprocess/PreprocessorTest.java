package org.myoflow.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myoflow.model.image.VoxelBox;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

class PreprocessorTest {

    @Test
    void resizesToTheNetworkShapeAndNormalisesToTheUnitInterval() {
        PhantomCase c = SpectPhantom.generate("a", 11, PhantomOptions.normal());
        for (Normalisation n : new Normalisation[] {Normalisation.ZSCORE_THEN_MINMAX, Normalisation.MINMAX}) {
            PreprocessConfig cfg = new PreprocessConfig(new int[] {64, 64, 56}, n, false, 0.05, 4);
            Preprocessor.Preprocessed p = new Preprocessor(cfg).apply(c.image());
            assertArrayEquals(new int[] {64, 64, 56}, p.input().grid().dims());
            assertEquals(0f, p.input().min(), 1e-6);
            assertEquals(1f, p.input().max(), 1e-6);
            assertArrayEquals(c.image().grid().dims(), p.record().originalDims());
            assertTrue(p.record().std() > 0);
        }
    }

    @Test
    void masksMapBackOntoTheOriginalGrid() {
        PhantomCase c = SpectPhantom.generate("b", 12, PhantomOptions.normal());
        Preprocessor.Preprocessed p = new Preprocessor(PreprocessConfig.defaults()).apply(c.image());
        BinaryMask onTarget = Preprocessor.maskToTarget(c.myocardium(), p.record());
        BinaryMask back = Preprocessor.maskToOriginal(onTarget, p.record());
        assertEquals(c.image().grid(), back.grid());
        // nearest down and up loses only boundary voxels
        assertTrue(Metrics.compare(back, c.myocardium()).dice() > 0.85);
        // probabilities travel back trilinearly and keep the same geometry
        Volume probBack = Preprocessor.probabilitiesToOriginal(onTarget.toVolume(), p.record());
        assertTrue(Metrics.compare(probBack.threshold(0.5f), c.myocardium()).dice() > 0.9);
    }

    @Test
    void cropToForegroundIsRecordedAndUndone() {
        PhantomCase c = SpectPhantom.generate("c", 13, PhantomOptions.normal());
        PreprocessConfig cfg = new PreprocessConfig(new int[] {32, 32, 28}, Normalisation.MINMAX, true, 0.3, 3);
        Preprocessor.Preprocessed p = new Preprocessor(cfg).apply(c.image());
        VoxelBox box = p.record().crop();
        assertTrue(box.x1() - box.x0() < c.image().grid().nx(), "cropped: " + box);
        BinaryMask back = Preprocessor.maskToOriginal(Preprocessor.maskToTarget(c.myocardium(), p.record()), p.record());
        assertTrue(Metrics.compare(back, c.myocardium()).dice() > 0.8);
        // the network grid's voxel centres lie where the original's physical box says
        double[] corner = p.input().grid().affine().apply(-0.5, -0.5, -0.5);
        assertArrayEquals(c.image().grid().affine().apply(box.x0() - 0.5, box.y0() - 0.5, box.z0() - 0.5), corner, 1e-6);
    }
}
