package org.myoflow.model.preprocess;

import org.myoflow.model.image.VoxelBox;

/**
 * What preprocessing did to one case, versioned, so results can be mapped back exactly onto the original grid.
 * Serialisable as JSON (it travels with the case through the workflow).
 *
 * @param originalDims shape of the volume as received
 * @param originalAffine its voxel-to-patient affine (row-major 3x4)
 * @param crop the box cut out of the original grid (the whole grid when no crop)
 * @param targetShape the network input shape the crop was resized to
 * @param mean intensity mean before normalisation (z-score step)
 * @param std intensity standard deviation before normalisation
 * @param min minimum of the values min-max scaled
 * @param max maximum of the values min-max scaled
 */
public record PreprocessRecord(int version, int[] originalDims, double[] originalAffine, VoxelBox crop,
                               int[] targetShape, Normalisation normalisation, double mean, double std, double min,
                               double max) {
    public static final int CURRENT_VERSION = 1;
}
