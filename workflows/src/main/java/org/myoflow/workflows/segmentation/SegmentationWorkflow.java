package org.myoflow.workflows.segmentation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One study revision: preprocess (cpu) → segment (gpu) → postprocess (cpu) → export (io) → publish (io). */
@WorkflowInterface
public interface SegmentationWorkflow {

    @WorkflowMethod
    SegmentationOutcome segment(SegmentationRequest request);

    /** The stage the workflow is in, for operators. */
    @QueryMethod
    String stage();
}
