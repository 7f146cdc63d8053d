package org.myoflow.model.preprocess;

import org.myoflow.model.image.Resampler;
import org.myoflow.model.image.VoxelBox;
import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/** Crop, resize to the network shape (trilinear; masks nearest) and normalise; and the way back. */
public final class Preprocessor {
    private final PreprocessConfig config;

    public Preprocessor(PreprocessConfig config) {
        this.config = config;
    }

    public PreprocessConfig config() {
        return config;
    }

    /** The network input and the record of how it was made. */
    public record Preprocessed(Volume input, PreprocessRecord record) {
    }

    public Preprocessed apply(Volume original) {
        Grid g = original.grid();
        VoxelBox box = config.cropToForeground()
                ? VoxelBox.boundingBox(original.threshold((float) (config.foregroundFraction() * original.max())),
                        config.cropMarginVoxels())
                : VoxelBox.whole(g);
        Volume cropped = box.equals(VoxelBox.whole(g)) ? original : Resampler.crop(original, box);
        int[] t = config.targetShape();
        Volume resized = Resampler.trilinear(cropped, t[0], t[1], t[2]);
        float[] v = resized.data();
        double mean = 0;
        for (float f : v) {
            mean += f;
        }
        mean /= v.length;
        double var = 0;
        for (float f : v) {
            var += (f - mean) * (f - mean);
        }
        double std = Math.sqrt(var / v.length);
        double min = 0;
        double max = 0;
        switch (config.normalisation()) {
            case ZSCORE_THEN_MINMAX -> {
                double s = std > 0 ? std : 1;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((v[i] - mean) / s);
                }
                double[] mm = minMax(v);
                min = mm[0];
                max = mm[1];
                scale(v, min, max);
            }
            case MINMAX -> {
                double[] mm = minMax(v);
                min = mm[0];
                max = mm[1];
                scale(v, min, max);
            }
            case NONE -> {
            }
        }
        PreprocessRecord record = new PreprocessRecord(PreprocessRecord.CURRENT_VERSION, g.dims(),
                g.affine().rowMajor3x4(), box, t, config.normalisation(), mean, std, min, max);
        return new Preprocessed(resized, record);
    }

    /** A label on the network grid, mapped back (nearest) onto the original grid; empty outside the crop. */
    public static BinaryMask maskToOriginal(BinaryMask onTarget, PreprocessRecord r) {
        VoxelBox box = r.crop();
        BinaryMask crop = Resampler.nearest(onTarget, box.x1() - box.x0(), box.y1() - box.y0(), box.z1() - box.z0());
        return Resampler.uncrop(crop, box, originalGrid(r));
    }

    /** Probabilities on the network grid, mapped back (trilinear) onto the original grid; 0 outside the crop. */
    public static Volume probabilitiesToOriginal(Volume onTarget, PreprocessRecord r) {
        VoxelBox box = r.crop();
        Volume crop = Resampler.trilinear(onTarget, box.x1() - box.x0(), box.y1() - box.y0(), box.z1() - box.z0());
        return Resampler.uncrop(crop, box, originalGrid(r), 0f);
    }

    /** A label on the original grid (e.g. ground truth) brought onto the network grid, for training. */
    public static BinaryMask maskToTarget(BinaryMask original, PreprocessRecord r) {
        BinaryMask crop = r.crop().equals(VoxelBox.whole(original.grid())) ? original
                : Resampler.crop(original, r.crop());
        int[] t = r.targetShape();
        return Resampler.nearest(crop, t[0], t[1], t[2]);
    }

    public static Grid originalGrid(PreprocessRecord r) {
        int[] d = r.originalDims();
        return new Grid(d[0], d[1], d[2], new Affine(r.originalAffine()));
    }

    private static double[] minMax(float[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return new double[] {lo, hi};
    }

    private static void scale(float[] v, double min, double max) {
        double range = max - min;
        for (int i = 0; i < v.length; i++) {
            v[i] = range > 0 ? (float) ((v[i] - min) / range) : 0f;
        }
    }
}
