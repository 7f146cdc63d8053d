package org.myoflow.model.io;

import org.myoflow.model.volume.Volume;

/**
 * A NIfTI volume as read: the voxels (scaled by {@code scl_slope/scl_inter}) with the chosen affine, plus what the
 * header said about where that affine came from.
 *
 * @param affineSource {@code "sform"}, {@code "qform"} or {@code "pixdim"} (neither code set)
 */
public record NiftiImage(Volume volume, NiftiDataType dataType, int qformCode, int sformCode, String affineSource) {
}
