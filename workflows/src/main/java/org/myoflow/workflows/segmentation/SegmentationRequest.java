package org.myoflow.workflows.segmentation;

import org.myoflow.workflows.events.StudyReceived;

/** One study revision to segment with one model version; the workflow id is derived from it. */
public record SegmentationRequest(StudyReceived study, String modelVersion) {

    /** {@code seg:<StudyInstanceUID>:<modelVersion>}, with {@code :r<N>} for revisions after the first. */
    public String workflowId() {
        String id = "seg:" + study.studyInstanceUid() + ":" + modelVersion;
        return study.revision() > 1 ? id + ":r" + study.revision() : id;
    }
}
