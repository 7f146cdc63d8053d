package org.myoflow.model.registry;

import java.util.List;
import java.util.Map;
import org.myoflow.model.network.UNetConfig;
import org.myoflow.model.postprocess.PostprocessConfig;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.training.TrainingConfig;

/**
 * Everything known about one model version, stored as {@code models/<version>/manifest.json} beside its weights.
 *
 * @param data what it was trained on, with a SHA-256 of the training arrays
 * @param heldOut metrics on the fixed held-out set, by group ("normal", "hard", "all")
 * @param reproduce the command that produced it
 */
public record ModelManifest(int schemaVersion, String version, UNetConfig architecture,
                            PreprocessConfig preprocessing, PostprocessConfig postprocessing,
                            TrainingConfig training, TrainingData data, int bestEpoch, double validationDice,
                            Map<String, HeldOutMetrics> heldOut, String engine, String createdAt, String reproduce,
                            List<String> notes) {
    public static final int SCHEMA_VERSION = 1;

    public record TrainingData(String description, String sha256, int trainCases, int validationCases) {
    }

    public record HeldOutMetrics(int cases, double dice, double diceRaw, double iou, double hd95Mm,
                                 double meanAbsVolumeErrorPercent) {
    }
}
