package org.myoflow.workflows.events;

import java.time.Instant;

/** A study revision that cannot be segmented (bad input); value of {@link Topics#DEADLETTER}. */
public record StudyFailed(int schemaVersion, String studyInstanceUid, int revision, String workflowId, String stage,
                          String reason, Instant failedAt) {
    public static final int SCHEMA_VERSION = 1;
}
