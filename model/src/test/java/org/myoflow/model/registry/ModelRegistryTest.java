package org.myoflow.model.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.model.network.UNetConfig;
import org.myoflow.model.postprocess.PostprocessConfig;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.training.TrainingConfig;

class ModelRegistryTest {

    private static ModelManifest manifest(String version, String created, double dice) {
        return new ModelManifest(ModelManifest.SCHEMA_VERSION, version, UNetConfig.defaults(),
                PreprocessConfig.defaults(), PostprocessConfig.defaults(), TrainingConfig.defaults(),
                new ModelManifest.TrainingData("test", "00", 1, 1), 3, dice,
                Map.of("all", new ModelManifest.HeldOutMetrics(20, dice, dice, dice, 5, 3)), "PyTorch test", created,
                "./myoflow train", List.of());
    }

    @Test
    void registerPromoteAndRollBack(@TempDir Path root, @TempDir Path weights) throws Exception {
        Files.write(weights.resolve(ModelRegistry.WEIGHTS_FILE), new byte[] {1, 2, 3});
        ModelRegistry r = new ModelRegistry(root);
        r.register(manifest("v1", "2026-11-01T00:00:00Z", 0.8), weights);
        r.register(manifest("v2", "2026-11-02T00:00:00Z", 0.9), weights);
        assertEquals(List.of("v1", "v2"), r.list());
        assertEquals(0.9, r.manifest("v2").heldOut().get("all").dice());
        assertTrue(r.production().isEmpty());

        r.promote("v1");
        r.promote("v2");
        assertEquals("v2", r.production().orElseThrow());
        assertEquals("v1", r.rollback());
        assertEquals("v1", r.production().orElseThrow());
        IOException none = assertThrows(IOException.class, r::rollback);
        assertTrue(none.getMessage().contains("no earlier production model"), none.getMessage());

        assertThrows(IOException.class, () -> r.register(manifest("v1", "2026-11-03T00:00:00Z", 0.7), weights));
        assertThrows(IOException.class, () -> r.promote("v9"));
        assertThrows(IllegalArgumentException.class, () -> r.folder("../escape"));
    }

    @Test
    void calibrationIsStoredPerVersionAndTheBundledOneComesWithTheBundledModel(@TempDir Path root,
                                                                                @TempDir Path weights)
            throws Exception {
        Files.write(weights.resolve(ModelRegistry.WEIGHTS_FILE), new byte[] {1, 2, 3});
        ModelRegistry r = new ModelRegistry(root);
        r.register(manifest("v7", "2026-11-01T00:00:00Z", 0.8), weights);
        assertTrue(r.calibration("v7").isEmpty());
        VolumeCalibration.Fit fit = new VolumeCalibration.Fit(new double[] {1, 2}, new double[] {0.5, 0},
                new double[] {0.1, 0}, 0.03, 3, 200, 8.1);
        r.saveCalibration("v7", new VolumeCalibration(VolumeCalibration.SCHEMA_VERSION, fit, null, "test", "cmd",
                List.of()));
        VolumeCalibration back = r.calibration("v7").orElseThrow();
        assertEquals(0.03 + 0.1 * (3 - 1) / 0.5, back.imageOnly().logRatio(new double[] {3, 9}), 1e-12);
        assertEquals(8.1, back.imageOnly().crossValidatedErrorPercent());
        assertThrows(IOException.class, () -> r.saveCalibration("v8", back));

        // the bundled model is installed with its calibration; a registry that had it without one gets it later
        ModelRegistry fresh = new ModelRegistry(root.resolve("fresh"));
        String bundled = fresh.productionOrBundled();
        VolumeCalibration shipped = fresh.calibration(bundled).orElseThrow();
        assertTrue(shipped.withCamera().crossValidatedErrorPercent() < shipped.imageOnly().crossValidatedErrorPercent());
        Files.delete(fresh.folder(bundled).resolve(VolumeCalibration.FILE));
        assertEquals(bundled, fresh.productionOrBundled());
        assertTrue(fresh.calibration(bundled).isPresent());
    }
}
