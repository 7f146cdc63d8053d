package org.myoflow.model.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The network's mechanics on tiny shapes (fast): shapes, gradients, learning, persistence. */
class UNet3dTest {

    @BeforeAll
    static void engine() {
        DjlRuntime.configure(2).setRandomSeed(7);
    }

    private static Model model(UNetConfig cfg) {
        Model m = Model.newInstance("t");
        m.setBlock(new UNet3d(cfg));
        return m;
    }

    private static Trainer trainer(Model m, SegmentationLoss.Kind kind, Shape input) {
        Trainer t = m.newTrainer(new DefaultTrainingConfig(new SegmentationLoss(kind))
                .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(1e-2f)).build()));
        t.initialize(input);
        return t;
    }

    /** A hollow sphere (a shell) in a 16^3 grid, and an image that shows it brightly with a little noise. */
    private static NDList shellCase(NDManager m) {
        float[] img = new float[16 * 16 * 16];
        float[] lab = new float[img.length];
        java.util.Random rnd = new java.util.Random(1);
        for (int z = 0, i = 0; z < 16; z++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++, i++) {
                    double r = Math.sqrt((x - 7.5) * (x - 7.5) + (y - 7.5) * (y - 7.5) + (z - 7.5) * (z - 7.5));
                    lab[i] = r > 3.5 && r < 6 ? 1 : 0;
                    img[i] = (float) (0.8 * lab[i] + 0.1 + 0.05 * rnd.nextGaussian());
                }
            }
        }
        Shape s = new Shape(1, 1, 16, 16, 16);
        return new NDList(m.create(img, s), m.create(lab, s));
    }

    @ParameterizedTest
    @CsvSource({"1,2,BATCH,DEPTH_TO_SPACE", "2,4,INSTANCE,DEPTH_TO_SPACE", "2,3,BATCH,NEAREST", "3,2,INSTANCE,NEAREST"})
    void outputHasTheInputGridAndOneChannel(int depth, int base, UNetConfig.Normalisation norm,
                                            UNetConfig.Upsampling up) {
        UNetConfig cfg = new UNetConfig(depth, base, norm, up);
        try (Model m = model(cfg); NDManager man = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 1, 8, 16, 24);
            m.getBlock().initialize(man, DataType.FLOAT32, in);
            NDArray out = m.getBlock().forward(new ParameterStore(man, false), new NDList(man.ones(in)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 1, 8, 16, 24), out.getShape());
            assertEquals(new Shape(2, 1, 8, 16, 24), m.getBlock().getOutputShapes(new Shape[] {in})[0]);
        }
    }

    @Test
    void inputsThatDoNotSurviveThePoolingsAreRefused() {
        try (Model m = model(new UNetConfig(3, 2, UNetConfig.Normalisation.BATCH, UNetConfig.Upsampling.NEAREST));
             NDManager man = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class,
                    () -> m.getBlock().initialize(man, DataType.FLOAT32, new Shape(1, 1, 12, 16, 16)));
        }
    }

    @Test
    void gradientsReachEveryParameterAndTheLossFalls() {
        for (UNetConfig.Upsampling up : UNetConfig.Upsampling.values()) {
            UNetConfig cfg = new UNetConfig(2, 4, UNetConfig.Normalisation.INSTANCE, up);
            try (Model m = model(cfg); Trainer t = trainer(m, SegmentationLoss.Kind.BCE_DICE, new Shape(1, 1, 16, 16, 16))) {
                NDList c = shellCase(t.getManager());
                NDList x = new NDList(c.get(0));
                NDList y = new NDList(c.get(1));
                float first = 0, last = 0;
                for (int step = 0; step < 25; step++) {
                    try (GradientCollector gc = t.newGradientCollector()) {
                        NDArray loss = t.getLoss().evaluate(y, t.forward(x));
                        gc.backward(loss);
                        if (step == 0) {
                            first = loss.getFloat();
                            for (Pair<String, Parameter> p : m.getBlock().getParameters()) {
                                double g = p.getValue().getArray().getGradient().abs().sum().getFloat();
                                assertTrue(g > 0, up + ": no gradient reaches " + p.getKey());
                            }
                        }
                        last = loss.getFloat();
                    }
                    t.step();
                }
                assertTrue(last < 0.6 * first, up + ": loss " + first + " -> " + last);
            }
        }
    }

    @Test
    void savedWeightsLoadToIdenticalOutputs(@TempDir Path dir) throws Exception {
        UNetConfig cfg = new UNetConfig(2, 4, UNetConfig.Normalisation.BATCH, UNetConfig.Upsampling.DEPTH_TO_SPACE);
        float[] before;
        try (Model m = model(cfg); Trainer t = trainer(m, SegmentationLoss.Kind.BCE, new Shape(1, 1, 16, 16, 16))) {
            NDList c = shellCase(t.getManager());
            for (int step = 0; step < 3; step++) { // move the weights (and batch-norm statistics) off their start
                try (GradientCollector gc = t.newGradientCollector()) {
                    gc.backward(t.getLoss().evaluate(new NDList(c.get(1)), t.forward(new NDList(c.get(0)))));
                }
                t.step();
            }
            before = t.evaluate(new NDList(c.get(0))).singletonOrThrow().toFloatArray();
            m.save(dir, "unet");
        }
        try (Model m = model(cfg); NDManager man = NDManager.newBaseManager()) {
            m.load(dir, "unet");
            NDList c = shellCase(man);
            float[] after = m.getBlock().forward(new ParameterStore(man, false), new NDList(c.get(0)), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(before, after, 0f);
        }
    }

    @Test
    void lossesAreRightOnKnownValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0f, 0f}, new Shape(1, 1, 1, 1, 2));
            NDArray y = m.create(new float[] {1f, 0f}, new Shape(1, 1, 1, 1, 2));
            assertEquals(Math.log(2), SegmentationLoss.bce(logits, y).getFloat(), 1e-6);
            // p = 0.5 each: dice = (2*0.5 + 1) / (1 + 1 + 1) = 2/3
            assertEquals(1 - 2.0 / 3, SegmentationLoss.softDice(logits, y).getFloat(), 1e-6);
            NDArray confident = m.create(new float[] {20f, -20f}, new Shape(1, 1, 1, 1, 2));
            assertTrue(new SegmentationLoss(SegmentationLoss.Kind.BCE_DICE)
                    .evaluate(new NDList(y), new NDList(confident)).getFloat() < 1e-6);
        }
    }
}
