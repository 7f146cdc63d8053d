package org.myoflow.workflows.events;

import java.time.Instant;
import java.util.List;

/**
 * A study revision's segmentation is in every PACS destination; value of {@link Topics#SEGMENTATION_COMPLETED},
 * keyed by StudyInstanceUID.
 *
 * @param segSopInstanceUid derived from study, revision and model version: re-exports replace, never duplicate
 * @param myocardiumMl the myocardial volume of the exported mask
 * @param lvCavityMl the LV cavity the mask encloses (0 when it encloses none)
 * @param meanWallThicknessMm mean myocardial wall thickness; null where undefined (no cavity)
 * @param device where the network ran (e.g. "cpu()" or "gpu(0)")
 * @param destinations the PACS AE titles that acknowledged the SEG
 * @param volumeCorrection how the myocardial volume was calibrated; null when it was not (the model version has no
 *     calibration)
 */
public record SegmentationCompleted(int schemaVersion, String studyInstanceUid, int revision,
                                    String sourceSeriesInstanceUid, String modelVersion, String device,
                                    String engine, String segSopInstanceUid, String segSeriesInstanceUid,
                                    int segFrames, double myocardiumMl, double lvCavityMl, Double meanWallThicknessMm,
                                    String maskPath, List<String> destinations,
                                    Instant studyCompletedAt, Instant completedAt,
                                    VolumeCorrection volumeCorrection) {
    public static final int SCHEMA_VERSION = 1;
}
