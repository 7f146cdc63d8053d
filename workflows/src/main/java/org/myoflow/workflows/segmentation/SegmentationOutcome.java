package org.myoflow.workflows.segmentation;

import org.myoflow.workflows.events.SegmentationCompleted;

/** What a {@link SegmentationWorkflow} run ended with: the completed event, or the reason it failed. */
public record SegmentationOutcome(SegmentationCompleted completed, String failedStage, String failure) {
    public boolean succeeded() {
        return completed != null;
    }
}
