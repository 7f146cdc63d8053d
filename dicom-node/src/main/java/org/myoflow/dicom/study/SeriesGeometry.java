package org.myoflow.dicom.study;

import java.util.List;

/**
 * The geometry/metadata JSON written beside each series volume: enough to map a mask back onto the DICOM grid.
 *
 * @param dims voxels along x, y, z of the NIfTI (x = DICOM columns, y = rows, z = along the slice normal)
 * @param affineRas the NIfTI's voxel-to-RAS affine (row-major 3x4, mm)
 * @param sopInstanceUids the source instances; for stacks, in z order
 * @param lossyImageCompression whether the series' pixels were ever lossy compressed (its Lossy Image Compression,
 *     or a lossy transfer syntax): measurements from it are on lossy pixels
 */
public record SeriesGeometry(int schemaVersion, String studyInstanceUid, String seriesInstanceUid, String modality,
                             String sopClassUid, int[] dims, double[] spacingMm, double[] affineRas,
                             List<String> sopInstanceUids, String frameOfReferenceUid,
                             boolean lossyImageCompression) {
}
