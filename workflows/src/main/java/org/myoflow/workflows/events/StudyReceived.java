package org.myoflow.workflows.events;

import java.time.Instant;
import java.util.List;

/**
 * A study (one revision of it) arrived complete at the DICOM node; value of {@link Topics#STUDY_RECEIVED}, keyed by
 * StudyInstanceUID. Everything a worker needs is here or under the storage root.
 *
 * @param revision 1 for the first complete set; a study that receives more instances after completion gets a new
 *     revision holding only the new instances, never a silent merge
 * @param completion why the node decided the revision was complete
 * @param callingAeTitle the AE title of the sender (of the last association that contributed)
 * @param series the series of this revision, each with its volume or the reason it has none
 */
public record StudyReceived(int schemaVersion, String studyInstanceUid, int revision, String patientId,
                            String patientName, String accessionNumber, String callingAeTitle, int instanceCount,
                            Completion completion, Instant firstReceivedAt, Instant completedAt,
                            List<SeriesReceived> series) {

    public static final int SCHEMA_VERSION = 1;

    public enum Completion {
        /** No instance arrived for the configured quiet period. */
        QUIET_TIMER,
        /** Every series was known complete: a single multi-frame volume, or the announced instance count reached. */
        CERTAIN,
        /** The sender listed the complete set in a Storage Commitment request. */
        STORAGE_COMMITMENT
    }

    /** The idempotency key of this event downstream: one study revision. */
    public String revisionKey() {
        return studyInstanceUid + "#" + revision;
    }
}
