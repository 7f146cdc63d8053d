package org.myoflow.workflows.segmentation;

/** The network's probabilities on its own grid (NIfTI, relative path) and what produced them. */
public record NetworkOutput(String probabilitiesPath, String modelVersion, String engine, String device,
                           double millis) {
}
