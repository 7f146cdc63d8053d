package org.myoflow.infra.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.myoflow.model.network.DjlRuntime;
import org.myoflow.model.network.SegmentationLoss;
import org.myoflow.model.network.UNet3d;
import org.myoflow.model.network.UNetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the U-Net in DJL: inference (batch 1) and one training step (forward, backward, Adam) at 64x64x56.
 * {@code bench/unet.sh} runs the same network in PyTorch beside it.
 */
@Command(name = "bench-unet", mixinStandardHelpOptions = true,
        description = "Time U-Net inference and a training step in DJL; prints JSON.")
public final class BenchUnetCommand implements Callable<Integer> {
    @Option(names = "--reps", defaultValue = "20")
    int reps;

    @Option(names = "--warmup", defaultValue = "5")
    int warmup;

    @Option(names = "--batch", defaultValue = "2", description = "Training batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--base", defaultValue = "16")
    int base;

    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Override
    public Integer call() throws Exception {
        DjlRuntime.configure(threads).setRandomSeed(1);
        UNetConfig cfg = new UNetConfig(3, base, UNetConfig.Normalisation.INSTANCE, UNetConfig.Upsampling.DEPTH_TO_SPACE);
        Shape train = new Shape(batch, 1, 56, 64, 64);
        Shape infer = new Shape(1, 1, 56, 64, 64);
        double inferMs;
        double stepMs;
        try (Model m = Model.newInstance("bench", DjlRuntime.device())) {
            m.setBlock(new UNet3d(cfg));
            try (Trainer t = m.newTrainer(new DefaultTrainingConfig(new SegmentationLoss(SegmentationLoss.Kind.BCE_DICE))
                    .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
                t.initialize(train);
                NDManager man = t.getManager();
                NDArray x = man.randomUniform(0, 1, train);
                NDArray y = x.gt(0.7).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                NDArray xi = man.randomUniform(0, 1, infer);
                stepMs = median(() -> {
                    try (NDManager sub = man.newSubManager()) {
                        NDArray xs = x.duplicate();
                        xs.attach(sub);
                        try (GradientCollector gc = t.newGradientCollector()) {
                            gc.backward(t.getLoss().evaluate(new NDList(y), t.forward(new NDList(xs))));
                        }
                        t.step();
                    }
                });
                inferMs = median(() -> {
                    try (NDManager sub = man.newSubManager()) {
                        NDArray xs = xi.duplicate();
                        xs.attach(sub);
                        m.getBlock().forward(new ParameterStore(sub, false), new NDList(xs), false)
                                .singletonOrThrow().toFloatArray();
                    }
                });
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("engine", DjlRuntime.describe());
        out.put("network", cfg.toString());
        out.put("threads", threads);
        out.put("inference_batch1_ms", inferMs);
        out.put("train_step_batch" + batch + "_ms", stepMs);
        System.out.println(json.writeValueAsString(out));
        return 0;
    }

    private double median(Runnable r) {
        return Timing.medianMillis(warmup, reps, r);
    }
}
