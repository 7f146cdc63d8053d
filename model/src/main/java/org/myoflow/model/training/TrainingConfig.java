package org.myoflow.model.training;

import org.myoflow.model.network.SegmentationLoss;
import org.myoflow.model.network.UNetConfig;

/**
 * Everything that defines a training run (recorded in the model manifest). Variations are configurations, not
 * subclasses.
 *
 * @param patience stop when validation Dice has not improved for this many epochs (0: never stop early)
 * @param threads intra-op threads for the PyTorch engine on CPU
 */
public record TrainingConfig(String name, UNetConfig network, SegmentationLoss.Kind loss, float learningRate,
                             int epochs, int batchSize, int patience, long seed, Augmentation augmentation,
                             int threads) {

    public TrainingConfig {
        if (epochs < 1 || batchSize < 1 || learningRate <= 0) {
            throw new IllegalArgumentException("epochs, batch size and learning rate must be positive");
        }
    }

    /**
     * Our default: BCE + soft Dice, Adam 1e-3 halved on plateaus, 16 base channels with instance norm, mild
     * augmentation, early stopping after 6 epochs without improvement.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig("myoflow-default", UNetConfig.defaults(), SegmentationLoss.Kind.BCE_DICE, 1e-3f, 30,
                2, 6, 1, Augmentation.defaults(), 2);
    }

    /** The seeds' recipe, to compare against: BCE, Adam 1e-4, 30 epochs, base 32 (batch norm), no augmentation. */
    public static TrainingConfig seedsRecipe() {
        return new TrainingConfig("seeds-recipe",
                new UNetConfig(3, 32, UNetConfig.Normalisation.BATCH, UNetConfig.Upsampling.DEPTH_TO_SPACE),
                SegmentationLoss.Kind.BCE, 1e-4f, 30, 2, 0, 1, Augmentation.none(), 2);
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(name, network, loss, learningRate, e, batchSize, patience, seed, augmentation, threads);
    }

    public TrainingConfig withNetwork(UNetConfig n) {
        return new TrainingConfig(name, n, loss, learningRate, epochs, batchSize, patience, seed, augmentation, threads);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(name, network, loss, learningRate, epochs, batchSize, patience, s, augmentation, threads);
    }
}
