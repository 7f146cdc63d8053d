package org.myoflow.workflows;

/** The task queues workers poll; the GPU queue's worker runs the network, CPU does the array work, IO talks to PACS. */
public final class TaskQueues {
    public static final String CPU = "myoflow-cpu";
    public static final String GPU = "myoflow-gpu";
    public static final String IO = "myoflow-io";
    /** Where workflow tasks (the deterministic orchestration code) run. */
    public static final String WORKFLOWS = "myoflow-workflows";

    private TaskQueues() {
    }
}
