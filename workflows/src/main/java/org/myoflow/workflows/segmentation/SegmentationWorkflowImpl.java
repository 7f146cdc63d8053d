package org.myoflow.workflows.segmentation;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.myoflow.workflows.TaskQueues;
import org.myoflow.workflows.events.SegmentationCompleted;
import org.myoflow.workflows.events.StudyFailed;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Deterministic orchestration only: every read and write happens in an activity. Bad input (a non-retryable
 * application failure from an activity) ends the run as failed with its reason and a dead-letter event; anything else
 * is retried with backoff, the export indefinitely, so a PACS that is down only delays the result.
 */
public class SegmentationWorkflowImpl implements SegmentationWorkflow {
    private static final Logger log = Workflow.getLogger(SegmentationWorkflowImpl.class);
    /** Failure types activities raise for input no retry can fix. */
    public static final String BAD_INPUT = "BadInput";

    private static RetryOptions retries(int maxAttempts, Duration maxInterval) {
        return RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2.0)
                .setMaximumInterval(maxInterval).setMaximumAttempts(maxAttempts)
                .setDoNotRetry(BAD_INPUT).build();
    }

    private final CpuActivities cpu = Workflow.newActivityStub(CpuActivities.class, ActivityOptions.newBuilder()
            .setTaskQueue(TaskQueues.CPU).setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(retries(5, Duration.ofSeconds(30))).build());
    private final GpuActivities gpu = Workflow.newActivityStub(GpuActivities.class, ActivityOptions.newBuilder()
            .setTaskQueue(TaskQueues.GPU).setStartToCloseTimeout(Duration.ofMinutes(5))
            .setHeartbeatTimeout(Duration.ofSeconds(60))
            .setRetryOptions(retries(5, Duration.ofSeconds(30))).build());
    /** Unlimited attempts: the SEG must reach the PACS; backoff tops out at a minute. */
    private final IoActivities io = Workflow.newActivityStub(IoActivities.class, ActivityOptions.newBuilder()
            .setTaskQueue(TaskQueues.IO).setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(retries(0, Duration.ofSeconds(60))).build());

    private String stage = "started";

    @Override
    public SegmentationOutcome segment(SegmentationRequest request) {
        String study = request.study().studyInstanceUid();
        PreparedInput input;
        NetworkOutput output;
        MaskResult mask;
        ExportResult export;
        try {
            stage = "preprocess";
            input = cpu.preprocess(request);
            stage = "segment";
            output = gpu.segment(input, request.modelVersion());
            stage = "postprocess";
            mask = cpu.postprocess(input, output);
            stage = "export";
            export = io.export(request, input, mask, output);
        } catch (ActivityFailure e) {
            String reason = e.getCause() instanceof ApplicationFailure a ? a.getOriginalMessage() : e.getMessage();
            log.warn("event=segmentation_failed study={} stage={} reason=\"{}\"", study, stage, reason);
            String failedStage = stage;
            stage = "failed";
            io.failed(new StudyFailed(StudyFailed.SCHEMA_VERSION, study, request.study().revision(),
                    Workflow.getInfo().getWorkflowId(), failedStage, reason,
                    Instant.ofEpochMilli(Workflow.currentTimeMillis())));
            return new SegmentationOutcome(null, failedStage, reason);
        }
        stage = "publish";
        SegmentationCompleted done = new SegmentationCompleted(SegmentationCompleted.SCHEMA_VERSION, study,
                request.study().revision(), input.seriesInstanceUid(), request.modelVersion(), output.device(),
                output.engine(), export.segSopInstanceUid(), export.segSeriesInstanceUid(), export.frames(),
                mask.myocardiumMl(), mask.cavityMl(),
                Double.isNaN(mask.meanWallThicknessMm()) ? null : mask.meanWallThicknessMm(), mask.maskPath(), export.destinations(), request.study().completedAt(),
                Instant.ofEpochMilli(Workflow.currentTimeMillis()), mask.volumeCorrection());
        io.completed(done);
        stage = "completed";
        return new SegmentationOutcome(done, null, null);
    }

    @Override
    public String stage() {
        return stage;
    }
}
