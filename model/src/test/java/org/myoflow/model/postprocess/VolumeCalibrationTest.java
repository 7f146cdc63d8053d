package org.myoflow.model.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.myoflow.model.image.Morphology;
import org.myoflow.model.inference.SegmentationPipeline;
import org.myoflow.model.metrics.WallProfile;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.segment.ThresholdShellSegmenter;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

class VolumeCalibrationTest {

    @Test
    void offsetReachesTheAskedCountAndMovesBothSurfaces() {
        PhantomCase p = SpectPhantom.generate("offset", 41, PhantomOptions.normal());
        BinaryMask wall = p.myocardium();
        int n = wall.count();
        for (double ratio : new double[] {0.8, 0.9, 1.1, 1.25}) {
            BinaryMask moved = Morphology.offsetToCount(wall, (int) Math.round(n * ratio));
            assertEquals(n * ratio, moved.count(), n * 0.01, "ratio " + ratio);
            // grown: (nearly) a superset of the wall; shrunk: (nearly) a subset
            int kept = 0;
            for (int i = 0; i < wall.data().length; i++) {
                kept += wall.data()[i] && moved.data()[i] ? 1 : 0;
            }
            assertTrue(kept >= 0.98 * Math.min(n, moved.count()), "ratio " + ratio + ": kept " + kept);
        }
        assertArrayEquals(wall.data(), Morphology.offsetToCount(wall, n).data());
        assertTrue(Morphology.offsetToCount(wall, 0).isEmpty());
    }

    @Test
    void ridgeRecoversALinearRelationAndIgnoresAConstantPredictor() {
        Random r = new Random(3);
        int n = 200;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {10 + r.nextGaussian(), 4.0, r.nextGaussian() * 3, r.nextGaussian()};
            y[i] = 0.02 + 0.08 * (x[i][0] - 10) - 0.03 * x[i][2] + 0.005 * r.nextGaussian();
        }
        VolumeCalibration.Fit fit = VolumeCalibration.Fit.ridgeCrossValidated(x, y, 0.01, 5);
        assertEquals(0, fit.scales()[1]);
        assertEquals(0, fit.weights()[1], 1e-12);
        double[] probe = {11.5, 4.0, -2, 0.3};
        assertEquals(0.02 + 0.08 * 1.5 + 0.06, fit.logRatio(probe), 0.005);
        // the noise is 0.5 %, so the cross-validated volume error must be about that, not the 10 % spread of y
        assertTrue(fit.crossValidatedErrorPercent() < 1, "CV error " + fit.crossValidatedErrorPercent());
        assertEquals(n, fit.cases());
        // a strong penalty shrinks the fit towards the mean
        VolumeCalibration.Fit stiff = VolumeCalibration.Fit.ridge(x, y, 1e6);
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        assertEquals(mean, stiff.logRatio(probe), 0.01);
    }

    @Test
    void correctsTheVolumeWithTheFitTheCameraAllowsWithinTheBound() {
        PhantomCase p = SpectPhantom.generate("cal", 42, PhantomOptions.normal());
        BinaryMask wall = p.myocardium();
        VolumeCalibration cal = constant(1.15, 0.85);

        VolumeCalibration.Calibrated image = cal.apply(p.image(), wall, null);
        assertEquals("image", image.correction().fit());
        assertNull(image.correction().cameraFwhmMm());
        assertEquals(1.15, image.correction().ratio(), 1e-9);
        assertEquals(wall.volumeMl() * 1.15, image.mask().volumeMl(), wall.volumeMl() * 0.01);
        assertEquals(image.mask().volumeMl(), image.correction().mlAfter(), 1e-9);

        VolumeCalibration.Calibrated camera = cal.apply(p.image(), wall, 14.0);
        assertEquals("image+camera", camera.correction().fit());
        assertEquals(14.0, camera.correction().cameraFwhmMm());
        assertEquals(wall.volumeMl() * 0.85, camera.mask().volumeMl(), wall.volumeMl() * 0.01);

        VolumeCalibration.Calibrated wild = constant(2.0, 2.0).apply(p.image(), wall, null);
        assertTrue(wild.correction().clamped());
        assertEquals(VolumeCalibration.MAX_RATIO, wild.correction().ratio(), 1e-9);

        BinaryMask empty = BinaryMask.empty(wall.grid());
        VolumeCalibration.Calibrated none = cal.apply(p.image(), empty, null);
        assertEquals("none", none.correction().fit());
        assertTrue(none.mask().isEmpty());
    }

    @Test
    void pipelineAppliesTheCalibrationAfterTheCleanUp() {
        PhantomCase p = SpectPhantom.generate("pipe", 43, PhantomOptions.normal());
        SegmentationPipeline plain = new SegmentationPipeline(new Preprocessor(PreprocessConfig.defaults()),
                ThresholdShellSegmenter.defaults(), new Postprocessor(PostprocessConfig.defaults()));
        SegmentationPipeline calibrated = new SegmentationPipeline(new Preprocessor(PreprocessConfig.defaults()),
                ThresholdShellSegmenter.defaults(), new Postprocessor(PostprocessConfig.defaults()),
                constant(0.9, 1.2));
        SegmentationPipeline.Result before = plain.run(p.image());
        assertNull(before.correction());
        SegmentationPipeline.Result after = calibrated.run(p.image(), 13.0);
        assertEquals("image+camera", after.correction().fit());
        assertEquals(before.mask().count() * 1.2, after.mask().count(), before.mask().count() * 0.01);
        assertArrayEquals(before.rawMask().data(), after.rawMask().data());
        assertFalse(calibrated.uncalibrated().calibrated());
    }

    @Test
    void wallProfileOfASharpImageIsFlatInsideTheWallAndZeroOutside() {
        PhantomCase p = SpectPhantom.generate("profile", 44, PhantomOptions.normal());
        BinaryMask wall = p.myocardium();
        WallProfile profile = WallProfile.measure(wall.toVolume(), wall);
        double[] f = profile.features();
        assertEquals(WallProfile.FEATURES, f.length);
        assertEquals(p.parameters().wallThickness(), profile.wallMm(), 1.5);
        for (int b = 0; b < WallProfile.WALL_BINS; b++) {
            assertTrue(f[2 + b] == 0 || Math.abs(f[2 + b] - 1) < 1e-9, "wall bin " + b + ": " + f[2 + b]);
        }
        for (int b = WallProfile.WALL_BINS; b < WallProfile.WALL_BINS + 2 * WallProfile.RING_BINS; b++) {
            assertEquals(0, f[2 + b], 1e-12, "ring bin " + b);
        }
        // on the blurred image the blood pool next to the wall lights up (the nearest bins can be empty: they are
        // closer than one voxel), and fades with distance into the cavity
        double[] blurred = WallProfile.measure(p.image(), wall).relativeIntensity();
        double nearest = 0;
        int at = 0;
        for (int b = WallProfile.WALL_BINS; b < WallProfile.WALL_BINS + WallProfile.RING_BINS && nearest == 0; b++) {
            nearest = blurred[b];
            at = b;
        }
        assertTrue(nearest > 0.3 && nearest < 1.2, "cavity next to the wall: " + nearest);
        assertTrue(blurred[at + 4] < nearest, java.util.Arrays.toString(blurred));
    }

    /** A calibration that asks for the same ratio whatever the image. */
    static VolumeCalibration constant(double imageRatio, double cameraRatio) {
        int n = WallProfile.FEATURES;
        VolumeCalibration.Fit image = new VolumeCalibration.Fit(new double[n], new double[n], new double[n],
                Math.log(imageRatio), 1, 0, Double.NaN);
        VolumeCalibration.Fit camera = new VolumeCalibration.Fit(new double[n + 1], new double[n + 1],
                new double[n + 1], Math.log(cameraRatio), 1, 0, Double.NaN);
        return new VolumeCalibration(VolumeCalibration.SCHEMA_VERSION, image, camera, "test", "none", List.of());
    }
}
