package org.myoflow.model.preprocess;

/** How intensities are brought to a common range. */
public enum Normalisation {
    /**
     * z-score, then min-max to [0, 1]: the seeds' recipe. Min-max after any affine map gives the same result as
     * min-max alone (up to float rounding); it is kept as named for fidelity, and its statistics are recorded.
     */
    ZSCORE_THEN_MINMAX,
    /** (v - min) / (max - min). */
    MINMAX,
    /** Leave intensities as they are. */
    NONE
}
