package org.myoflow.dicom.study;

import org.myoflow.workflows.events.StudyReceived;

import java.time.Instant;
import java.util.List;

/**
 * The durable decision that a set of instances is one complete revision of a study; written to
 * {@code spool/<study>/revision-<n>.json} before anything is announced, so a restart neither loses nor regroups it.
 */
public record StudyRevision(String studyInstanceUid, int revision, StudyReceived.Completion completion,
                            String callingAeTitle, Instant firstReceivedAt, Instant completedAt,
                            List<String> sopInstanceUids) {
}
