package org.myoflow.model.inference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.myoflow.model.network.DjlRuntime;
import org.myoflow.model.network.UNet3d;
import org.myoflow.model.network.UNetConfig;
import org.myoflow.model.segment.MyocardiumSegmenter;
import org.myoflow.model.training.UNetTrainer;
import org.myoflow.model.volume.Volume;

/** The learned segmenter: a trained {@link UNet3d} on the engine's default device (CUDA when present, else CPU). */
public final class UNetSegmenter implements MyocardiumSegmenter, AutoCloseable {
    private final Model model;
    private final String name;

    private UNetSegmenter(Model model, String name) {
        this.model = model;
        this.name = name;
    }

    /** Loads the weights saved by {@link UNetTrainer} in {@code dir}. */
    public static UNetSegmenter load(Path dir, UNetConfig architecture, String name, int threads)
            throws IOException {
        DjlRuntime.configure(threads);
        Model model = Model.newInstance(UNetTrainer.WEIGHTS_NAME, DjlRuntime.device());
        model.setBlock(new UNet3d(architecture));
        try {
            model.load(dir, UNetTrainer.WEIGHTS_NAME);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("model weights in " + dir + " do not fit " + architecture + ": " + e.getMessage(), e);
        }
        return new UNetSegmenter(model, name);
    }

    @Override
    public String name() {
        return name;
    }

    /** Where inference runs, e.g. "PyTorch 2.7.1 on cpu()". */
    public String engine() {
        return DjlRuntime.describe();
    }

    @Override
    public Volume probabilities(Volume input) {
        int[] d = input.grid().dims();
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray x = sub.create(input.data(), new Shape(1, 1, d[2], d[1], d[0]));
            NDArray logits = model.getBlock().forward(new ParameterStore(sub, false), new NDList(x), false)
                    .singletonOrThrow();
            return new Volume(input.grid(), Activation.sigmoid(logits).toFloatArray());
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
