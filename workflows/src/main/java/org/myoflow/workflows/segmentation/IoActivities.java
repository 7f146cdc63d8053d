package org.myoflow.workflows.segmentation;

import io.temporal.activity.ActivityInterface;
import org.myoflow.workflows.events.SegmentationCompleted;
import org.myoflow.workflows.events.StudyFailed;

/** Talking to the outside: PACS and Kafka. Retried until the other side is back. */
@ActivityInterface(namePrefix = "Io")
public interface IoActivities {
    /** Writes the SEG (deterministic UIDs) and C-STOREs it to every configured destination. */
    ExportResult export(SegmentationRequest request, PreparedInput input, MaskResult mask, NetworkOutput output);

    /** Publishes the completion event and records the result as done in the study store. */
    void completed(SegmentationCompleted event);

    /** Marks the revision failed with its reason and publishes it on the dead-letter topic. */
    void failed(StudyFailed event);
}
