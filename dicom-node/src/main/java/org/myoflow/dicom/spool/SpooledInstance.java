package org.myoflow.dicom.spool;

import java.nio.file.Path;

/**
 * One instance durably in the spool, with what study assembly needs to know about it.
 *
 * @param file the fsynced Part 10 file
 * @param frames Number of Frames (1 when absent)
 * @param seriesRelatedInstances Number of Series Related Instances or Images in Acquisition as sent, 0 when absent
 * @param volumetric a single instance holding a whole volume: NM RECON TOMO or an enhanced multi-frame object
 */
public record SpooledInstance(Path file, String studyUid, String seriesUid, String sopInstanceUid,
                              String sopClassUid, String modality, int seriesNumber, String seriesDescription,
                              String patientId, String patientName, String accessionNumber, int frames,
                              int seriesRelatedInstances, boolean volumetric, long bytes) {
}
