package org.myoflow.workflows.segmentation;

/** The cleaned myocardium mask on the source grid (NIfTI, relative path) and its size. */
public record MaskResult(String maskPath, long voxels, double myocardiumMl) {
}
