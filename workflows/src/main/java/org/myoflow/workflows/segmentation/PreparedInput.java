package org.myoflow.workflows.segmentation;

/**
 * The chosen series, preprocessed for the network; paths are relative to the storage root.
 *
 * @param workDir this run's folder: {@code studies/<study>/r<N>/myoflow-<model>/}
 * @param sourceVolumePath the series' NIfTI as the node wrote it (the source grid)
 * @param inputPath the network input (64x64x56 in [0, 1]) as NIfTI
 * @param recordPath the preprocessing record (crop, resampling) that maps results back to the source grid
 * @param callingAeTitle the sender of the study (which camera's resolution the volume calibration uses)
 */
public record PreparedInput(String seriesInstanceUid, String modality, String workDir, String sourceVolumePath,
                            String inputPath, String recordPath, String callingAeTitle) {
}
