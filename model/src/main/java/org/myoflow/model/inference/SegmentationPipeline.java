package org.myoflow.model.inference;

import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.preprocess.PreprocessRecord;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.segment.MyocardiumSegmenter;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * Volume in, myocardium out, on the volume's own grid: preprocess, segment on the network grid, map the
 * probabilities back (trilinear), threshold (raw mask) and clean up (postprocessed mask).
 */
public final class SegmentationPipeline {
    private final Preprocessor preprocessor;
    private final MyocardiumSegmenter segmenter;
    private final Postprocessor postprocessor;

    public SegmentationPipeline(Preprocessor preprocessor, MyocardiumSegmenter segmenter, Postprocessor postprocessor) {
        this.preprocessor = preprocessor;
        this.segmenter = segmenter;
        this.postprocessor = postprocessor;
    }

    public MyocardiumSegmenter segmenter() {
        return segmenter;
    }

    /** What one run produced, with where the time went. */
    public record Result(Volume probabilities, BinaryMask rawMask, BinaryMask mask, PreprocessRecord record,
                         long preprocessNanos, long segmentNanos, long postprocessNanos) {
        public double totalMillis() {
            return (preprocessNanos + segmentNanos + postprocessNanos) / 1e6;
        }
    }

    public Result run(Volume original) {
        long t0 = System.nanoTime();
        Preprocessor.Preprocessed p = preprocessor.apply(original);
        long t1 = System.nanoTime();
        Volume onNetworkGrid = segmenter.probabilities(p.input());
        long t2 = System.nanoTime();
        Volume probabilities = Preprocessor.probabilitiesToOriginal(onNetworkGrid, p.record());
        BinaryMask raw = probabilities.threshold((float) postprocessor.config().threshold());
        BinaryMask clean = postprocessor.clean(raw);
        long t3 = System.nanoTime();
        return new Result(probabilities, raw, clean, p.record(), t1 - t0, t2 - t1, t3 - t2);
    }
}
