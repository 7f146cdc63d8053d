package org.myoflow.model.inference;

import java.util.ArrayList;
import java.util.List;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.metrics.SegmentationMetrics;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/** Scores a pipeline on labelled cases: per case (raw and postprocessed) and per group. */
public final class Evaluator {
    private final SegmentationPipeline pipeline;

    public Evaluator(SegmentationPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * A labelled case and the group it is summarised in (e.g. "normal", "hard").
     *
     * @param cameraFwhmMm the resolution of the camera that made the image (FWHM, mm), or null when unknown
     */
    public record Case(String id, String group, Volume image, BinaryMask truth, Double cameraFwhmMm) {
        public Case(String id, String group, Volume image, BinaryMask truth) {
            this(id, group, image, truth, null);
        }
    }

    public record CaseResult(String id, String group, SegmentationMetrics raw, SegmentationMetrics post,
                             double millis) {
    }

    /** Means over a group; HD95 over cases where it is finite. */
    public record Summary(String group, int cases, double diceRaw, double dicePost, double iou, double hd95Mm,
                          double meanAbsVolumeErrorPercent) {
    }

    public CaseResult evaluate(Case c) {
        return evaluate(c, r -> { });
    }

    /** The same, handing the pipeline's output to {@code outputs} (e.g. to save it for inspection). */
    public CaseResult evaluate(Case c, java.util.function.Consumer<SegmentationPipeline.Result> outputs) {
        SegmentationPipeline.Result r = pipeline.run(c.image(), c.cameraFwhmMm());
        outputs.accept(r);
        return new CaseResult(c.id(), c.group(), Metrics.compare(r.rawMask(), c.truth()),
                Metrics.compare(r.mask(), c.truth()), r.totalMillis());
    }

    public static Summary summarise(String group, List<CaseResult> results) {
        List<CaseResult> g = new ArrayList<>();
        for (CaseResult r : results) {
            if (group == null || r.group().equals(group)) {
                g.add(r);
            }
        }
        double raw = 0, post = 0, iou = 0, hd = 0, vol = 0;
        int hdN = 0;
        for (CaseResult r : g) {
            raw += r.raw().dice();
            post += r.post().dice();
            iou += r.post().iou();
            vol += Math.abs(r.post().volumeErrorPercent());
            if (Double.isFinite(r.post().hd95Mm())) {
                hd += r.post().hd95Mm();
                hdN++;
            }
        }
        int n = Math.max(1, g.size());
        return new Summary(group == null ? "all" : group, g.size(), raw / n, post / n, iou / n,
                hdN == 0 ? Double.NaN : hd / hdN, vol / n);
    }
}
