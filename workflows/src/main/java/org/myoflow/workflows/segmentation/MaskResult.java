package org.myoflow.workflows.segmentation;

/**
 * The cleaned myocardium mask on the source grid, the probabilities it was thresholded from, and the LV cavity it
 * encloses (NIfTI, relative paths), with sizes; the mean wall thickness is NaN where there is no cavity.
 */
public record MaskResult(String maskPath, long voxels, double myocardiumMl, String probabilitiesPath,
                         String cavityPath, double cavityMl, double meanWallThicknessMm) {
}
