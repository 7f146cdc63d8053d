package org.myoflow.workflows.segmentation;

import io.temporal.activity.ActivityInterface;

/** The network, on the GPU queue (CUDA when the worker's DJL finds it, else CPU; the output says which). */
@ActivityInterface(namePrefix = "Gpu")
public interface GpuActivities {
    NetworkOutput segment(PreparedInput input, String modelVersion);
}
