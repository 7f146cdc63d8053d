package org.myoflow.model.metrics;

/**
 * Agreement of a predicted mask with the reference.
 *
 * @param dice 2|A&B| / (|A| + |B|); 1 when both are empty
 * @param iou |A&B| / |A|B|; 1 when both are empty
 * @param hd95Mm 95th-percentile symmetric surface distance (max of both directions' 95th percentiles); infinite
 *     when exactly one mask is empty
 * @param meanSurfaceDistanceMm mean of all surface-to-surface distances in both directions
 * @param predictedMl predicted volume
 * @param referenceMl reference volume
 */
public record SegmentationMetrics(double dice, double iou, double hd95Mm, double meanSurfaceDistanceMm,
                                  double predictedMl, double referenceMl) {

    /** Signed volume error in percent of the reference. */
    public double volumeErrorPercent() {
        return referenceMl == 0 ? (predictedMl == 0 ? 0 : Double.POSITIVE_INFINITY)
                : 100.0 * (predictedMl - referenceMl) / referenceMl;
    }
}
