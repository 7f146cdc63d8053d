package org.myoflow.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.model.inference.UNetSegmenter;
import org.myoflow.model.network.SegmentationLoss;
import org.myoflow.model.network.UNetConfig;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.volume.Volume;

/** The training mechanics on two batches of small phantoms; quality is the benchmarks' job. */
class UNetTrainerTest {

    @Test
    void savingTwiceOverwritesTheOneWeightsFile(@TempDir Path dir) throws Exception {
        try (ai.djl.Model m = ai.djl.Model.newInstance("t")) {
            m.setBlock(new org.myoflow.model.network.UNet3d(
                    new UNetConfig(1, 2, UNetConfig.Normalisation.BATCH, UNetConfig.Upsampling.NEAREST)));
            m.getBlock().initialize(m.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 1, 4, 4, 4));
            UNetTrainer.saveWeights(m, dir);
            UNetTrainer.saveWeights(m, dir);
            try (var files = Files.list(dir)) {
                assertEquals(List.of("unet-0000.params"), files.map(f -> f.getFileName().toString()).toList());
            }
        }
    }

    @Test
    void trainsSavesTheBestWeightsAndTheSegmenterLoadsThem(@TempDir Path dir) throws Exception {
        Preprocessor pre = new Preprocessor(PreprocessConfig.defaults().withTargetShape(16, 16, 16));
        List<TrainingCase> train = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PhantomCase p = SpectPhantom.generate("t" + i, 50 + i, PhantomOptions.mixed(i));
            train.add(TrainingCase.from(p.id(), p.image(), p.myocardium(), pre));
        }
        TrainingConfig cfg = new TrainingConfig("tiny",
                new UNetConfig(2, 4, UNetConfig.Normalisation.INSTANCE, UNetConfig.Upsampling.DEPTH_TO_SPACE),
                SegmentationLoss.Kind.BCE_DICE, 1e-3f, 2, 2, 0, 5, Augmentation.defaults(), 2);
        List<Integer> batches = new ArrayList<>();
        TrainingResult r = new UNetTrainer(cfg).train(train, train.subList(0, 1), dir, new UNetTrainer.Listener() {
            @Override
            public void onBatch(int epoch, int batch, int n, double loss) {
                assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss + " at epoch " + epoch + " batch " + batch);
                batches.add(batch);
            }
        });
        assertEquals(List.of(1, 2, 1, 2), batches, "2 epochs of 2 batches");
        assertEquals(2, r.epochs().size());
        assertTrue(r.bestEpoch() >= 1 && r.bestValidationDice() >= 0);
        assertTrue(r.engine().startsWith("PyTorch 2.7.1"), r.engine());
        assertTrue(Files.exists(dir.resolve("unet-0000.params")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("unet-0000.params"), files.map(f -> f.getFileName().toString()).toList());
        }

        PhantomCase p = SpectPhantom.generate("x", 99, PhantomOptions.normal());
        Volume input = pre.apply(p.image()).input();
        try (UNetSegmenter seg = UNetSegmenter.load(dir, cfg.network(), "tiny", 2)) {
            Volume prob = seg.probabilities(input);
            assertArrayEquals(new int[] {16, 16, 16}, prob.grid().dims());
            assertTrue(prob.min() >= 0 && prob.max() <= 1);
            // the same input gives the same output (inference mode, no dropout, stable statistics)
            assertArrayEquals(prob.data(), seg.probabilities(input).data(), 0f);
        }
    }
}
