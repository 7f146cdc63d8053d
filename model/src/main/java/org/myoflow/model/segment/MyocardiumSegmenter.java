package org.myoflow.model.segment;

import org.myoflow.model.volume.Volume;

/**
 * Segments the LV myocardium in a preprocessed volume (network grid, intensities in [0, 1]). Two kinds exist: the
 * classical {@link ThresholdShellSegmenter} baseline and the learned U-Net.
 */
public interface MyocardiumSegmenter {

    /** A short name for reports, e.g. "classical" or "unet-v3". */
    String name();

    /** Probability of myocardium per voxel, on the input's grid. */
    Volume probabilities(Volume preprocessedInput);
}
