package org.myoflow.workflows.events;

/**
 * How the myocardial volume was calibrated: which fit (image alone, or image and the camera's resolution), with which
 * resolution, and by how much the mask's volume changed. Null in results where the model version has no calibration.
 *
 * @param fit {@code image} or {@code image+camera}
 * @param cameraFwhmMm the sender's camera resolution used, null when not configured for it
 * @param ratio corrected / uncorrected volume
 * @param clamped the predicted ratio fell outside the calibration's bounds and was limited to them
 * @param uncorrectedMl the myocardial volume before the correction
 */
public record VolumeCorrection(String fit, Double cameraFwhmMm, double ratio, boolean clamped, double uncorrectedMl) {
}
