package org.myoflow.model.training;

/**
 * On-the-fly augmentation, applied identically to image and mask.
 *
 * @param flipProbability per axis
 * @param rotate90 random quarter turns in the x-y plane (needs nx == ny)
 * @param maxRotationDeg small rotation about z, uniform in +-this
 * @param maxScale isotropic scaling uniform in 1 +- this
 * @param intensityScale multiply by 1 +- this
 * @param intensityShift add +- this
 * @param noiseSigma Gaussian noise sigma up to this
 */
public record Augmentation(double flipProbability, boolean rotate90, double maxRotationDeg, double maxScale,
                           double intensityScale, double intensityShift, double noiseSigma) {

    public static Augmentation none() {
        return new Augmentation(0, false, 0, 0, 0, 0, 0);
    }

    /** Mild: orientation stays anatomical (no flips or quarter turns), geometry and intensity jitter. */
    public static Augmentation defaults() {
        return new Augmentation(0, false, 10, 0.08, 0.1, 0.05, 0.02);
    }

    public boolean appliesNothing() {
        return equals(none());
    }
}
