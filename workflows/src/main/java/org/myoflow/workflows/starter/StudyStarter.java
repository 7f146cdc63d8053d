package org.myoflow.workflows.starter;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.myoflow.workflows.TaskQueues;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.StudyReceived;
import org.myoflow.workflows.events.Topics;
import org.myoflow.workflows.segmentation.SegmentationRequest;
import org.myoflow.workflows.segmentation.SegmentationWorkflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Consumes {@code myoflow.study.received} and starts one {@link SegmentationWorkflow} per study revision and model
 * version (deterministic id). An offset is committed only after Temporal accepted the start or said it already runs
 * or ran. With {@code redriveFromStart} (the embedded Temporal forgets everything on restart) it reads the topic from
 * the beginning and starts every revision that has no completed result yet.
 */
public final class StudyStarter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StudyStarter.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final WorkflowClient client;
    private final Supplier<String> modelVersion;
    private final Predicate<SegmentationRequest> alreadyDone;
    private final boolean redriveFromStart;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param modelVersion the production model version at the time of each start
     * @param alreadyDone true when a revision's result is recorded as complete (skipped on re-drive)
     */
    public StudyStarter(String bootstrap, String groupId, WorkflowClient client, Supplier<String> modelVersion,
                        Predicate<SegmentationRequest> alreadyDone, boolean redriveFromStart) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.client = client;
        this.modelVersion = modelVersion;
        this.alreadyDone = alreadyDone;
        this.redriveFromStart = redriveFromStart;
        this.thread = new Thread(this::run, "study-starter");
    }

    public StudyStarter start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.STUDY_RECEIVED), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (redriveFromStart) {
                        consumer.seekToBeginning(partitions);
                    }
                }
            });
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, byte[]> r : records) {
                        startWithRetry(r);
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync();
                    }
                } catch (CommitFailedException e) {
                    // a long Temporal outage outlasted max.poll.interval and the group moved on: the records come
                    // again after the rejoin, and starting them twice is harmless (deterministic workflow ids)
                    log.warn("event=starter_commit_failed reason=\"{}\"", e.getMessage());
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // never let one bad moment stop the starter for good
                    log.error("event=starter_error reason=\"{}\"", e.toString(), e);
                    sleep(1000);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Keeps trying while Temporal is unreachable: the offset must not move past an unstarted study. */
    private void startWithRetry(ConsumerRecord<String, byte[]> r) {
        StudyReceived study;
        try {
            study = EventJson.fromBytes(r.value(), StudyReceived.class);
        } catch (RuntimeException e) {
            log.error("event=study_event_unreadable offset={} reason=\"{}\"", r.offset(), e.toString());
            return;
        }
        long backoff = 500;
        while (running) {
            try {
                start(study);
                return;
            } catch (RuntimeException e) {
                log.warn("event=workflow_start_failed study={} retryInMs={} reason=\"{}\"", study.studyInstanceUid(),
                        backoff, e.toString());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void start(StudyReceived study) {
        if (!study.series().isEmpty() && study.series().stream()
                .allMatch(s -> "SEG".equals(s.modality()) || "SR".equals(s.modality()))) {
            log.info("event=workflow_not_needed study={} revision={} reason=\"only segmentations or reports "
                    + "(returned results and corrections)\"", study.studyInstanceUid(), study.revision());
            return;
        }
        SegmentationRequest request = new SegmentationRequest(study, modelVersion.get());
        if (alreadyDone.test(request)) {
            log.info("event=workflow_skipped study={} revision={} reason=\"result already complete\"",
                    study.studyInstanceUid(), study.revision());
            return;
        }
        SegmentationWorkflow wf = client.newWorkflowStub(SegmentationWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(request.workflowId()).setTaskQueue(TaskQueues.WORKFLOWS)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        try {
            WorkflowClient.start(wf::segment, request);
            log.info("event=workflow_started study={} revision={} workflowId={}", study.studyInstanceUid(),
                    study.revision(), request.workflowId());
        } catch (WorkflowExecutionAlreadyStarted e) {
            log.info("event=workflow_already_started study={} workflowId={}", study.studyInstanceUid(),
                    request.workflowId());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
