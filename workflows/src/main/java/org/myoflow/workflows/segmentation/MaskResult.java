package org.myoflow.workflows.segmentation;

/**
 * The cleaned myocardium mask on the source grid and the LV cavity it encloses (NIfTI, relative paths), with sizes.
 */
public record MaskResult(String maskPath, long voxels, double myocardiumMl, String cavityPath, double cavityMl) {
}
