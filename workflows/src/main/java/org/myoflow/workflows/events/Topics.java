package org.myoflow.workflows.events;

/** Kafka topic names (DESIGN.md contract). */
public final class Topics {
    private Topics() {
    }

    public static final String STUDY_RECEIVED = "myoflow.study.received";
    public static final String SEGMENTATION_COMPLETED = "myoflow.segmentation.completed";
    public static final String MODEL_PROMOTED = "myoflow.model.promoted";
    public static final String DEADLETTER = "myoflow.deadletter";
    /** A radiologist's segmentation came back for a study Myoflow segmented: a reviewed label for retraining. */
    public static final String LABEL_REVIEWED = "myoflow.label.reviewed";
}
