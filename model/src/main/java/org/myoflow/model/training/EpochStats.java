package org.myoflow.model.training;

/** One epoch of a training run: mean training loss, validation Dice on the network grid, learning rate, time. */
public record EpochStats(int epoch, double trainLoss, double validationDice, double learningRate, double seconds) {
}
