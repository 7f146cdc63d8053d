package org.myoflow.workflows.events;

import java.time.Instant;

/**
 * A segmentation sent back to the node for a study Myoflow segmented (e.g. a radiologist's edit), stored as a
 * reviewed label for retraining; value of {@link Topics#LABEL_REVIEWED}, keyed by StudyInstanceUID.
 *
 * @param labelPath the label as NIfTI on the referenced series' grid, relative to the storage root
 */
public record ReviewedLabelReceived(int schemaVersion, String studyInstanceUid, int revision,
                                    String segSopInstanceUid, String referencedSeriesInstanceUid, String labelPath,
                                    String callingAeTitle, String creator, long voxels, double volumeMl,
                                    Instant receivedAt) {
    public static final int SCHEMA_VERSION = 1;
}
