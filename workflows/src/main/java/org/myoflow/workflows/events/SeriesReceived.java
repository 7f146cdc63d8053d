package org.myoflow.workflows.events;

import java.util.List;

/**
 * One series of a received study revision.
 *
 * @param volumePath the series as NIfTI (relative to the storage root), null when it is not a volume
 * @param geometryPath the geometry/metadata JSON beside it, null when it is not a volume
 * @param volumeError why no volume was made (e.g. "gantry tilt 12.0 deg"), null when there is one
 * @param reviewedLabelPath for a SEG that corrects a study Myoflow segmented: the label it was stored as (NIfTI on
 *     the referenced series' grid, relative to the storage root); null otherwise
 */
public record SeriesReceived(String seriesInstanceUid, String modality, String sopClassUid, int seriesNumber,
                             String description, List<String> sopInstanceUids, String volumePath,
                             String geometryPath, String volumeError, String reviewedLabelPath) {
}
