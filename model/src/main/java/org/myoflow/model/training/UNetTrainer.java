package org.myoflow.model.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.myoflow.model.network.DjlRuntime;
import org.myoflow.model.network.SegmentationLoss;
import org.myoflow.model.network.UNet3d;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link UNet3d} on cases already on the network grid. Keeps the weights of the epoch with the best
 * validation Dice; halves the learning rate after 3 epochs without improvement and stops after {@code patience}.
 * The best weights are always {@code unet-0000.params}: DJL names the file after the model's "Epoch" property and,
 * when it is unset, counts up past any file already there, which would leave the best weights in the newest file.
 * Every step's arrays live in a sub-manager that is closed after the step (without it, memory and step time grow).
 */
public final class UNetTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(UNetTrainer.class);
    public static final String WEIGHTS_NAME = "unet";

    /** Progress callbacks (a progress bar, logs). */
    public interface Listener {
        default void onBatch(int epoch, int batch, int batches, double loss) {
        }

        default void onEpoch(EpochStats stats, boolean improved) {
        }
    }

    private final TrainingConfig config;

    public UNetTrainer(TrainingConfig config) {
        this.config = config;
    }

    public TrainingResult train(List<TrainingCase> train, List<TrainingCase> validation, Path weightsDir,
                                Listener listener) throws IOException {
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("training needs training and validation cases");
        }
        Files.createDirectories(weightsDir);
        Engine engine = DjlRuntime.configure(config.threads());
        engine.setRandomSeed((int) config.seed());
        Device device = engine.defaultDevice();
        String engineText = DjlRuntime.describe();
        LOG.info("training {} on {}: {} training, {} validation cases", config.name(), engineText, train.size(),
                validation.size());
        long start = System.nanoTime();
        int[] shape = train.get(0).shape();
        Augmenter augmenter = new Augmenter(config.augmentation());
        SplittableRandom rnd = new SplittableRandom(config.seed());
        PlateauRate rate = new PlateauRate(config.learningRate());
        List<EpochStats> epochs = new ArrayList<>();
        int bestEpoch = -1;
        double best = -1;
        int stale = 0;
        boolean early = false;
        try (Model model = Model.newInstance(WEIGHTS_NAME, device)) {
            model.setBlock(new UNet3d(config.network()));
            DefaultTrainingConfig tc = new DefaultTrainingConfig(new SegmentationLoss(config.loss()))
                    .optOptimizer(Adam.builder().optLearningRateTracker(rate).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(config.batchSize(), 1, shape[2], shape[1], shape[0]));
                int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    int[] order = shuffled(train.size(), rnd);
                    double lossSum = 0;
                    for (int b = 0; b < batches; b++) {
                        List<TrainingCase> batch = new ArrayList<>();
                        for (int k = b * config.batchSize(); k < Math.min(train.size(), (b + 1) * config.batchSize());
                                k++) {
                            batch.add(augmenter.apply(train.get(order[k]), rnd));
                        }
                        double loss = step(trainer, batch);
                        lossSum += loss;
                        listener.onBatch(epoch, b + 1, batches, loss);
                    }
                    double dice = validationDice(trainer, validation);
                    boolean improved = dice > best;
                    if (improved) {
                        best = dice;
                        bestEpoch = epoch;
                        stale = 0;
                        saveWeights(model, weightsDir);
                    } else if (++stale % 3 == 0) {
                        rate.halve();
                    }
                    EpochStats stats = new EpochStats(epoch, lossSum / batches, dice, rate.current(),
                            (System.nanoTime() - t0) / 1e9);
                    epochs.add(stats);
                    listener.onEpoch(stats, improved);
                    if (config.patience() > 0 && stale >= config.patience()) {
                        early = true;
                        break;
                    }
                }
            }
        }
        return new TrainingResult(config, weightsDir, epochs, bestEpoch, best, engineText, train.size(),
                validation.size(), (System.nanoTime() - start) / 1e9, early);
    }

    /** Writes (overwrites) {@code unet-0000.params} in {@code dir}. */
    static void saveWeights(Model model, Path dir) throws IOException {
        model.setProperty("Epoch", "0");
        model.save(dir, WEIGHTS_NAME);
    }

    /**
     * One optimisation step on a batch; returns its loss. A step whose gradients are not all finite is skipped (as
     * PyTorch's GradScaler does): libtorch's CPU backward gave NaN weight gradients now and then on tiny test shapes
     * with finite inputs and loss, and one such step would turn every weight into NaN for good.
     */
    static double step(Trainer trainer, List<TrainingCase> batch) {
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDList x = new NDList(images(sub, batch));
            NDList y = new NDList(masks(sub, batch));
            double loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(x);
                NDArray l = trainer.getLoss().evaluate(y, logits);
                gc.backward(l);
                loss = l.getFloat();
            }
            if (Double.isFinite(loss) && gradientsFinite(trainer)) {
                trainer.step();
            } else {
                LOG.warn("event=step_skipped reason=\"non-finite loss or gradient\" loss={}", loss);
                zeroGradients(trainer);
            }
            return loss;
        }
    }

    private static boolean gradientsFinite(Trainer trainer) {
        for (var p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray g = p.getValue().getArray().getGradient();
                if (g.isNaN().logicalOr(g.isInfinite()).any().getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Gradients accumulate across backward passes; DJL zeroes them as g - g, which keeps a NaN, so overwrite. */
    private static void zeroGradients(Trainer trainer) {
        for (var p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().getGradient().set(new ai.djl.ndarray.index.NDIndex("..."), 0);
            }
        }
    }

    /** Mean Dice of sigmoid(logits) >= 0.5 against the masks, on the network grid. */
    static double validationDice(Trainer trainer, List<TrainingCase> cases) {
        double sum = 0;
        for (TrainingCase c : cases) {
            try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray logits = trainer.evaluate(new NDList(images(sub, List.of(c)))).singletonOrThrow();
                float[] p = Activation.sigmoid(logits).toFloatArray();
                sum += dice(p, c.mask());
            }
        }
        return sum / cases.size();
    }

    static double dice(float[] prob, boolean[] mask) {
        long inter = 0, a = 0, b = 0;
        for (int i = 0; i < prob.length; i++) {
            boolean p = prob[i] >= 0.5f;
            if (p) {
                a++;
            }
            if (mask[i]) {
                b++;
            }
            if (p && mask[i]) {
                inter++;
            }
        }
        return a + b == 0 ? 1 : 2.0 * inter / (a + b);
    }

    static NDArray images(NDManager m, List<TrainingCase> batch) {
        int[] s = batch.get(0).shape();
        int n = s[0] * s[1] * s[2];
        float[] all = new float[batch.size() * n];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).image(), 0, all, i * n, n);
        }
        return m.create(all, new Shape(batch.size(), 1, s[2], s[1], s[0]));
    }

    static NDArray masks(NDManager m, List<TrainingCase> batch) {
        int[] s = batch.get(0).shape();
        int n = s[0] * s[1] * s[2];
        float[] all = new float[batch.size() * n];
        for (int i = 0; i < batch.size(); i++) {
            boolean[] mk = batch.get(i).mask();
            for (int j = 0; j < n; j++) {
                all[i * n + j] = mk[j] ? 1f : 0f;
            }
        }
        return m.create(all, new Shape(batch.size(), 1, s[2], s[1], s[0]));
    }

    private static int[] shuffled(int n, SplittableRandom rnd) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** A learning rate that the trainer lowers on plateaus. */
    static final class PlateauRate implements Tracker {
        private volatile float rate;

        PlateauRate(float rate) {
            this.rate = rate;
        }

        void halve() {
            rate /= 2;
        }

        float current() {
            return rate;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return rate;
        }
    }
}
