package org.myoflow.workflows.segmentation;

import org.myoflow.workflows.events.VolumeCorrection;

/**
 * The cleaned myocardium mask on the source grid, the probabilities it was thresholded from, and the LV cavity it
 * encloses (NIfTI, relative paths), with sizes; the mean wall thickness is NaN where there is no cavity; the volume correction is null where the model
 * version has no calibration.
 */
public record MaskResult(String maskPath, long voxels, double myocardiumMl, String probabilitiesPath,
                         String cavityPath, double cavityMl, double meanWallThicknessMm,
                         VolumeCorrection volumeCorrection) {
}
