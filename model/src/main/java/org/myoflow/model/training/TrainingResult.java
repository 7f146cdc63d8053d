package org.myoflow.model.training;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run produced: the best weights (by validation Dice) in {@code weightsDir}, the curves, and where
 * it ran.
 */
public record TrainingResult(TrainingConfig config, Path weightsDir, List<EpochStats> epochs, int bestEpoch,
                             double bestValidationDice, String engine, int trainCases, int validationCases,
                             double seconds, boolean stoppedEarly) {
}
