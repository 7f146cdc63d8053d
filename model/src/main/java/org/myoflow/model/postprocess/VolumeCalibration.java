package org.myoflow.model.postprocess;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.myoflow.model.image.Morphology;
import org.myoflow.model.metrics.WallProfile;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * A model version's correction of the myocardial volume, the last step after the clean-up chain. The U-Net draws
 * nearly the same wall thickness whatever the true wall is (bench/RESULTS.md, "what it is made of"), so its volume is
 * off by the wall's deviation from the mean. A ridge regression fitted on phantoms the model never trained on predicts
 * log(true / drawn volume) from the image's profile across the drawn wall ({@link WallProfile}), and, when the
 * scanner's reconstructed resolution is known, from that too: the blurred wall's width mixes thickness and resolution,
 * so knowing one separates the other. The mask is then moved along its normals to the corrected volume, which keeps
 * the mask, the SEG and the reported volume one and the same.
 *
 * @param imageOnly the fit from the wall profile alone
 * @param withCamera the fit from the wall profile and the camera's resolution (FWHM, mm)
 * @param fittedOn what it was fitted on
 * @param reproduce the command that produced it
 */
public record VolumeCalibration(int schemaVersion, Fit imageOnly, Fit withCamera, String fittedOn, String reproduce,
                                List<String> notes) {
    public static final int SCHEMA_VERSION = 1;
    /** Stored beside the weights in the model version's folder. */
    public static final String FILE = "volume-calibration.json";
    /**
     * Corrections are held to this range: the walls the fits saw differ from the mean by under 20 %, and an image
     * unlike the phantoms should not have its mask grown or shrunk by more.
     */
    public static final double MIN_RATIO = 0.75;
    public static final double MAX_RATIO = 1.33;

    /**
     * One ridge regression on standardised predictors.
     *
     * @param scales the predictors' standard deviations; a predictor that did not vary has weight 0
     * @param crossValidatedErrorPercent mean |volume error| after the correction, 5-fold cross-validated on the cases
     *     it was fitted on
     */
    public record Fit(double[] means, double[] scales, double[] weights, double intercept, double lambda, int cases,
                      double crossValidatedErrorPercent) {

        public double logRatio(double[] x) {
            if (x.length != weights.length) {
                throw new IllegalArgumentException("expected " + weights.length + " predictors, got " + x.length);
            }
            double r = intercept;
            for (int j = 0; j < x.length; j++) {
                if (scales[j] > 0) {
                    r += weights[j] * (x[j] - means[j]) / scales[j];
                }
            }
            return r;
        }

        /** Ridge regression of {@code y} on the rows of {@code x}: minimises |y - f(x)|^2 + lambda |w|^2. */
        public static Fit ridge(double[][] x, double[] y, double lambda) {
            int n = y.length;
            int p = x[0].length;
            double[] mean = new double[p];
            double[] scale = new double[p];
            for (int j = 0; j < p; j++) {
                for (double[] row : x) {
                    mean[j] += row[j] / n;
                }
                double ss = 0;
                for (double[] row : x) {
                    ss += (row[j] - mean[j]) * (row[j] - mean[j]);
                }
                double sd = Math.sqrt(ss / n);
                scale[j] = sd > 1e-9 * Math.max(1, Math.abs(mean[j])) ? sd : 0;
            }
            double yMean = 0;
            for (double v : y) {
                yMean += v / n;
            }
            RealMatrix z = new Array2DRowRealMatrix(n, p);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    z.setEntry(i, j, scale[j] > 0 ? (x[i][j] - mean[j]) / scale[j] : 0);
                }
            }
            double[] centred = new double[n];
            for (int i = 0; i < n; i++) {
                centred[i] = y[i] - yMean;
            }
            RealMatrix normal = z.transpose().multiply(z);
            for (int j = 0; j < p; j++) {
                normal.addToEntry(j, j, lambda);
            }
            double[] w = new CholeskyDecomposition(normal).getSolver()
                    .solve(z.transpose().operate(new ArrayRealVector(centred))).toArray();
            return new Fit(mean, scale, w, yMean, lambda, n, Double.NaN);
        }

        /** The same fit, scored by k-fold cross-validation (case i in fold i mod k), as mean |volume error| in %. */
        public static Fit ridgeCrossValidated(double[][] x, double[] y, double lambda, int folds) {
            double err = 0;
            for (int k = 0; k < folds; k++) {
                List<Integer> train = new java.util.ArrayList<>();
                for (int i = 0; i < y.length; i++) {
                    if (i % folds != k) {
                        train.add(i);
                    }
                }
                double[][] tx = new double[train.size()][];
                double[] ty = new double[train.size()];
                for (int t = 0; t < train.size(); t++) {
                    tx[t] = x[train.get(t)];
                    ty[t] = y[train.get(t)];
                }
                Fit f = ridge(tx, ty, lambda);
                for (int i = k; i < y.length; i += folds) {
                    err += Math.abs(Math.exp(f.logRatio(x[i]) - y[i]) - 1);
                }
            }
            Fit all = ridge(x, y, lambda);
            return new Fit(all.means, all.scales, all.weights, all.intercept, lambda, y.length, 100 * err / y.length);
        }
    }

    /**
     * What the calibration did to one mask.
     *
     * @param fit "image" or "image+camera"; "none" when the profile could not be measured (no cavity)
     * @param ratio corrected / drawn volume, after the {@link #MIN_RATIO}-{@link #MAX_RATIO} bound
     * @param clamped the fit asked for more than the bound allows
     * @param cameraFwhmMm the camera resolution the fit used; null for the image fit or none
     */
    public record Correction(String fit, Double cameraFwhmMm, double ratio, boolean clamped, double mlBefore,
                             double mlAfter) {
    }

    /** A mask with its correction. */
    public record Calibrated(BinaryMask mask, Correction correction) {
    }

    /** The predictors: the wall profile's features, then the camera's resolution when the fit uses it. */
    public static double[] predictors(WallProfile profile, Double cameraFwhmMm) {
        double[] f = profile.features();
        if (cameraFwhmMm == null) {
            return f;
        }
        double[] out = java.util.Arrays.copyOf(f, f.length + 1);
        out[f.length] = cameraFwhmMm;
        return out;
    }

    /**
     * Corrects {@code mask} (the cleaned U-Net mask on {@code image}'s grid). {@code cameraFwhmMm} is the scanner's
     * reconstructed resolution when it is known, else null.
     */
    public Calibrated apply(Volume image, BinaryMask mask, Double cameraFwhmMm) {
        double before = mask.volumeMl();
        if (mask.isEmpty()) {
            return new Calibrated(mask, new Correction("none", null, 1, false, before, before));
        }
        WallProfile profile = WallProfile.measure(image, mask);
        boolean camera = cameraFwhmMm != null && withCamera != null;
        double[] x = predictors(profile, camera ? cameraFwhmMm : null);
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return new Calibrated(mask, new Correction("none", null, 1, false, before, before));
            }
        }
        double wanted = Math.exp((camera ? withCamera : imageOnly).logRatio(x));
        double ratio = Math.max(MIN_RATIO, Math.min(MAX_RATIO, wanted));
        BinaryMask corrected = Morphology.offsetToCount(mask, (int) Math.round(mask.count() * ratio));
        return new Calibrated(corrected, new Correction(camera ? "image+camera" : "image",
                camera ? cameraFwhmMm : null, ratio, ratio != wanted,
                before, corrected.volumeMl()));
    }
}
