package org.myoflow.infra.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.infra.stack.EmbeddedKafka;
import org.myoflow.infra.stack.EmbeddedTemporal;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.registry.ModelRegistry;
import org.myoflow.workers.CpuActivitiesImpl;
import org.myoflow.workers.GpuActivitiesImpl;
import org.myoflow.workers.IoActivitiesImpl;
import org.myoflow.workflows.TaskQueues;
import org.myoflow.workflows.segmentation.SegmentationWorkflowImpl;
import org.myoflow.workflows.starter.StudyStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * The running system, or the roles of it this process plays: the DICOM node, the Kafka → Temporal starter, and
 * workers for some task queues. Services not given an external address run embedded on loopback. Closing stops
 * everything in reverse order (in-flight activities are retried by Temporal elsewhere or after a restart).
 */
public final class MyoflowNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MyoflowNode.class);

    public enum Role { DICOM, STARTER, WORKER }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private DicomNode dicom;
    private String kafkaBootstrap;
    private String temporalTarget;
    private WorkflowClient client;
    private String modelVersion;

    private MyoflowNode() {
    }

    /**
     * @param queues the task queues this process's workers poll (the workflow queue comes with any of them)
     */
    public static MyoflowNode start(Path storageRoot, StackConfig stack, DicomNodeConfig dicomConfig,
                                    Set<Role> roles, Set<String> queues, int threads, MeterRegistry metrics)
            throws Exception {
        MyoflowNode n = new MyoflowNode();
        try {
            n.startAll(storageRoot, stack, dicomConfig, roles, queues, threads, metrics);
            return n;
        } catch (Exception | Error e) {
            n.close();
            throw e;
        }
    }

    public static MyoflowNode all(Path storageRoot, StackConfig stack, DicomNodeConfig dicomConfig, int threads,
                                  MeterRegistry metrics) throws Exception {
        return start(storageRoot, stack, dicomConfig, EnumSet.allOf(Role.class),
                Set.of(TaskQueues.CPU, TaskQueues.GPU, TaskQueues.IO), threads, metrics);
    }

    private void startAll(Path root, StackConfig stack, DicomNodeConfig dicomConfig, Set<Role> roles,
                          Set<String> queues, int threads, MeterRegistry metrics) throws Exception {
        kafkaBootstrap = stack.kafkaBootstrap();
        if (kafkaBootstrap.isBlank()) {
            EmbeddedKafka kafka = EmbeddedKafka.start(root.resolve("kafka"), stack.embeddedKafkaPort());
            started.push(kafka);
            kafkaBootstrap = kafka.bootstrapServers();
        }
        boolean embeddedTemporal = stack.temporalTarget().isBlank();
        temporalTarget = stack.temporalTarget();
        if (embeddedTemporal) {
            EmbeddedTemporal temporal = EmbeddedTemporal.start(stack.embeddedTemporalPort());
            started.push(temporal);
            temporalTarget = temporal.target();
        }
        WorkflowServiceStubsOptions.Builder so = WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget);
        if (stack.temporalTls()) {
            so.setSslContext(SimpleSslContextBuilder.noKeyOrCertChain().build());
        }
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(so.build());
        started.push(service::shutdown);
        client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                .setNamespace(stack.temporalNamespace()).build());
        modelVersion = new ModelRegistry(root).productionOrBundled();

        if (roles.contains(Role.WORKER)) {
            WorkerFactory factory = WorkerFactory.newInstance(client);
            factory.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(
                    SegmentationWorkflowImpl.class);
            if (queues.contains(TaskQueues.CPU)) {
                factory.newWorker(TaskQueues.CPU, WorkerOptions.newBuilder()
                        .setMaxConcurrentActivityExecutionSize(2).build())
                        .registerActivitiesImplementations(new CpuActivitiesImpl(root, stack.cameras()));
            }
            if (queues.contains(TaskQueues.GPU)) {
                GpuActivitiesImpl gpu = new GpuActivitiesImpl(root, threads);
                started.push(gpu);
                gpu.preload(modelVersion);
                factory.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder()
                        .setMaxConcurrentActivityExecutionSize(1).build()).registerActivitiesImplementations(gpu);
            }
            if (queues.contains(TaskQueues.IO)) {
                IoActivitiesImpl io = new IoActivitiesImpl(root, stack.pacs(), stack.scuAeTitle(), kafkaBootstrap,
                        stack.fractionalSeg());
                started.push(io);
                factory.newWorker(TaskQueues.IO).registerActivitiesImplementations(io);
            }
            // Temporal may be down (an external one): keep trying in the background so the DICOM node still
            // receives and the starter keeps its offsets; workers begin polling once Temporal answers
            Thread starter = new Thread(() -> {
                long backoff = 500;
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        factory.start();
                        log.info("event=workers_started queues={} model={}", queues, modelVersion);
                        return;
                    } catch (RuntimeException e) {
                        log.warn("event=workers_waiting_for_temporal target={} retryInMs={} reason=\"{}\"",
                                temporalTarget, backoff, e.getMessage());
                        try {
                            Thread.sleep(backoff);
                        } catch (InterruptedException ie) {
                            return;
                        }
                        backoff = Math.min(backoff * 2, 10_000);
                    }
                }
            }, "workers-start");
            starter.setDaemon(true);
            starter.start();
            started.push(() -> {
                starter.interrupt();
                starter.join(5000);
                if (factory.isStarted()) {
                    factory.shutdown();
                    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            });
        }
        if (roles.contains(Role.STARTER)) {
            StudyStarter starter = new StudyStarter(kafkaBootstrap, "myoflow-starter", client, () -> modelVersion,
                    r -> IoActivitiesImpl.isCompleted(root, r), embeddedTemporal).start();
            started.push(starter);
        }
        if (roles.contains(Role.DICOM)) {
            dicom = DicomNode.start(dicomConfig.withKafka(kafkaBootstrap), metrics);
            started.push(dicom);
        }
        log.info("event=node_started roles={} kafka={} temporal={} pacs={}", roles, kafkaBootstrap, temporalTarget,
                stack.pacs());
    }

    public int dicomPort() {
        return dicom.port();
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public WorkflowClient client() {
        return client;
    }

    public String modelVersion() {
        return modelVersion;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                log.warn("event=stop_failed reason=\"{}\"", e.toString());
            }
        }
    }
}
