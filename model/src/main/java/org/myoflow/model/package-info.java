/**
 * Everything about volumes and the network, with no I/O to services. One package per pipeline stage:
 * {@code volume} (voxels, grids, masks), {@code image} (filters, distance transform, components, resampling),
 * {@code io} (NIfTI-1), {@code phantom}, {@code dataset}, {@code preprocess}, {@code segment}, {@code postprocess},
 * {@code metrics}, {@code render}.
 */
package org.myoflow.model;
