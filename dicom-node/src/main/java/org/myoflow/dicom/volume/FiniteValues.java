package org.myoflow.dicom.volume;

import java.util.Arrays;

/**
 * Geometry and rescale values must be numbers. A DS of "NaN" or "1e999" parses (to NaN, to infinity), and NaN
 * compares false with every tolerance, so a slice at NaN passed the spacing checks and a Pixel Spacing of infinity
 * made a volume with a NaN affine.
 */
final class FiniteValues {
    private FiniteValues() {
    }

    /** {@code values} (null passes: absence is the caller's check), or a refusal naming {@code what}. */
    static double[] require(double[] values, String what) throws SeriesVolumeException {
        if (values != null) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new SeriesVolumeException(what + " is not a finite number: " + Arrays.toString(values));
                }
            }
        }
        return values;
    }

    static double require(double value, String what) throws SeriesVolumeException {
        return require(new double[] {value}, what)[0];
    }

    /** Pixel or slice spacing: finite and above zero. */
    static double[] requireSpacing(double[] values, String what) throws SeriesVolumeException {
        require(values, what);
        if (values != null) {
            for (double v : values) {
                if (v <= 0) {
                    throw new SeriesVolumeException(what + " must be positive: " + Arrays.toString(values));
                }
            }
        }
        return values;
    }
}
