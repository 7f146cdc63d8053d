package org.myoflow.model.preprocess;

/**
 * What preprocessing does to a volume before the network sees it.
 *
 * @param targetShape network input shape (x, y, z), 64x64x56 by default
 * @param normalisation intensity normalisation
 * @param cropToForeground crop to the voxels at or above {@code foregroundFraction} of the maximum, grown by
 *     {@code cropMarginVoxels}, before resizing; off by default (SPECT volumes are already heart-centred)
 */
public record PreprocessConfig(int[] targetShape, Normalisation normalisation, boolean cropToForeground,
                               double foregroundFraction, int cropMarginVoxels) {

    public PreprocessConfig {
        if (targetShape.length != 3 || targetShape[0] < 1 || targetShape[1] < 1 || targetShape[2] < 1) {
            throw new IllegalArgumentException("target shape must be three positive sizes");
        }
        targetShape = targetShape.clone();
    }

    public static PreprocessConfig defaults() {
        return new PreprocessConfig(new int[] {64, 64, 56}, Normalisation.ZSCORE_THEN_MINMAX, false, 0.05, 4);
    }

    public PreprocessConfig withTargetShape(int x, int y, int z) {
        return new PreprocessConfig(new int[] {x, y, z}, normalisation, cropToForeground, foregroundFraction,
                cropMarginVoxels);
    }

    @Override
    public int[] targetShape() {
        return targetShape.clone();
    }
}
