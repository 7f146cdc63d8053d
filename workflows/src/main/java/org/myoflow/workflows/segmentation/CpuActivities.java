package org.myoflow.workflows.segmentation;

import io.temporal.activity.ActivityInterface;

/** Array work on the CPU queue. Idempotent: each writes its outputs under the run's folder, replacing them. */
@ActivityInterface(namePrefix = "Cpu")
public interface CpuActivities {
    /** Picks the series to segment and writes the network input; bad input fails non-retryably. */
    PreparedInput preprocess(SegmentationRequest request);

    /** Maps the probabilities back to the source grid, thresholds and cleans them. */
    MaskResult postprocess(PreparedInput input, NetworkOutput output);
}
