package org.myoflow.model.inference;

import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.preprocess.PreprocessRecord;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.segment.MyocardiumSegmenter;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * Volume in, myocardium out, on the volume's own grid: preprocess, segment on the network grid, map the
 * probabilities back (trilinear), threshold (raw mask), clean up, and correct the volume when the model version has a
 * {@link VolumeCalibration} (postprocessed mask).
 */
public final class SegmentationPipeline {
    private final Preprocessor preprocessor;
    private final MyocardiumSegmenter segmenter;
    private final Postprocessor postprocessor;
    private final VolumeCalibration calibration;

    public SegmentationPipeline(Preprocessor preprocessor, MyocardiumSegmenter segmenter, Postprocessor postprocessor) {
        this(preprocessor, segmenter, postprocessor, null);
    }

    /** @param calibration the model version's volume calibration, or null for none */
    public SegmentationPipeline(Preprocessor preprocessor, MyocardiumSegmenter segmenter, Postprocessor postprocessor,
                                VolumeCalibration calibration) {
        this.preprocessor = preprocessor;
        this.segmenter = segmenter;
        this.postprocessor = postprocessor;
        this.calibration = calibration;
    }

    /** The same network and clean-up without the volume calibration (to score the network alone). */
    public SegmentationPipeline uncalibrated() {
        return new SegmentationPipeline(preprocessor, segmenter, postprocessor, null);
    }

    public boolean calibrated() {
        return calibration != null;
    }

    public MyocardiumSegmenter segmenter() {
        return segmenter;
    }

    /**
     * What one run produced, with where the time went.
     *
     * @param correction what the volume calibration did, or null when the pipeline has none
     */
    public record Result(Volume probabilities, BinaryMask rawMask, BinaryMask mask, PreprocessRecord record,
                         long preprocessNanos, long segmentNanos, long postprocessNanos,
                         VolumeCalibration.Correction correction) {
        public double totalMillis() {
            return (preprocessNanos + segmentNanos + postprocessNanos) / 1e6;
        }
    }

    public Result run(Volume original) {
        return run(original, null);
    }

    /**
     * @param cameraFwhmMm the scanner's reconstructed resolution (FWHM, mm) when known, else null: the volume
     *     calibration uses it when it has a fit for it
     */
    public Result run(Volume original, Double cameraFwhmMm) {
        long t0 = System.nanoTime();
        Preprocessor.Preprocessed p = preprocessor.apply(original);
        long t1 = System.nanoTime();
        Volume onNetworkGrid = segmenter.probabilities(p.input());
        long t2 = System.nanoTime();
        Volume probabilities = Preprocessor.probabilitiesToOriginal(onNetworkGrid, p.record());
        BinaryMask raw = probabilities.threshold((float) postprocessor.config().threshold());
        BinaryMask clean = postprocessor.clean(raw);
        VolumeCalibration.Correction correction = null;
        if (calibration != null) {
            VolumeCalibration.Calibrated c = calibration.apply(original, clean, cameraFwhmMm);
            clean = c.mask();
            correction = c.correction();
        }
        long t3 = System.nanoTime();
        return new Result(probabilities, raw, clean, p.record(), t1 - t0, t2 - t1, t3 - t2, correction);
    }
}
