package org.myoflow.dicom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The DICOM node's meters (Micrometer): associations, instances, bytes, rejects, quarantine, completeness. */
public final class NodeMetrics {
    private final MeterRegistry registry;
    public final Counter associationsAccepted;
    public final Counter instancesStored;
    public final Counter instancesDuplicate;
    public final Counter instancesQuarantined;
    /** Neither stored nor quarantined (the spool's disk failed both): answered 0xA700, the sender keeps it. */
    public final Counter instancesFailed;
    /** Refused before anything was kept (SOP class not accepted, storage below its reserve); the sender keeps it. */
    public final Counter instancesRefused;
    public final Counter bytesReceived;
    public final Counter echoes;
    public final Timer storeTime;
    public final Timer completenessLatency;
    public final DistributionSummary studyInstances;
    public final Counter studiesAnnounced;
    /** Failed tries to turn a complete revision into volumes and its event (each is retried, with backoff). */
    public final Counter publishConversionFailures;
    /** Failed tries to have Kafka acknowledge a revision's event (each is retried, with backoff). */
    public final Counter publishAnnounceFailures;
    /** Instances (and their bytes) taken out of the spool by retention. */
    public final Counter instancesRetired;
    public final Counter bytesRetired;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        associationsAccepted = Counter.builder("myoflow.dicom.associations").tag("result", "accepted")
                .description("associations accepted").register(registry);
        instancesStored = instances("stored");
        instancesDuplicate = instances("duplicate");
        instancesQuarantined = instances("quarantined");
        instancesFailed = instances("failed");
        instancesRefused = instances("refused");
        bytesReceived = Counter.builder("myoflow.dicom.received.bytes").baseUnit("bytes")
                .description("data set bytes received").register(registry);
        echoes = Counter.builder("myoflow.dicom.echoes").description("C-ECHO requests answered").register(registry);
        storeTime = Timer.builder("myoflow.dicom.store.time")
                .description("last data fragment to C-STORE response (check, journal sync or fsync, file)")
                .register(registry);
        completenessLatency = Timer.builder("myoflow.dicom.completeness.latency")
                .description("last instance of a study to the study declared complete").register(registry);
        studyInstances = DistributionSummary.builder("myoflow.dicom.study.instances")
                .description("instances per completed study revision").register(registry);
        studiesAnnounced = Counter.builder("myoflow.dicom.studies.announced")
                .description("study revisions acknowledged by Kafka").register(registry);
        publishConversionFailures = publishFailures("convert");
        publishAnnounceFailures = publishFailures("announce");
        instancesRetired = Counter.builder("myoflow.dicom.spool.retired.instances")
                .description("instances taken out of the spool by retention").register(registry);
        bytesRetired = Counter.builder("myoflow.dicom.spool.retired.bytes").baseUnit("bytes")
                .description("spool file bytes freed by retention").register(registry);
    }

    private Counter instances(String outcome) {
        return Counter.builder("myoflow.dicom.instances").tag("outcome", outcome)
                .description("instances received, by outcome").register(registry);
    }

    private Counter publishFailures(String stage) {
        return Counter.builder("myoflow.dicom.studies.publish.failures").tag("stage", stage)
                .description("failed tries to convert or announce a complete study revision (each retried)")
                .register(registry);
    }

    /** Revisions complete but not acknowledged by Kafka: how many, and how long the oldest has waited. */
    public void watch(org.myoflow.dicom.study.StudyPublisher publisher) {
        Gauge.builder("myoflow.dicom.studies.unannounced", publisher, p -> p.unannouncedCount())
                .description("complete study revisions not yet acknowledged by Kafka (queued or retrying)")
                .register(registry);
        Gauge.builder("myoflow.dicom.studies.unannounced.oldest", publisher,
                        p -> p.oldestUnannounced(java.time.Instant.now()).toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("since the oldest unannounced revision completed (grows while a study is stuck)")
                .register(registry);
    }

    /** The spool's journal: records, syncs (each covers every record appended before it), segments not checkpointed. */
    public void watch(org.myoflow.dicom.spool.Spool spool) {
        FunctionCounter.builder("myoflow.dicom.spool.journal.records", spool, s -> s.journalRecords())
                .description("instances made durable through the spool's journal").register(registry);
        FunctionCounter.builder("myoflow.dicom.spool.journal.syncs", spool, s -> s.journalSyncs())
                .description("journal fdatasyncs (each covers every record appended before it)").register(registry);
        Gauge.builder("myoflow.dicom.spool.journal.segments.pending", spool, s -> s.journalSegmentsAwaitingCheckpoint())
                .description("full journal segments not yet checkpointed "
                        + "(up to 3 wait for a quiet moment; more means checkpoints fail)")
                .register(registry);
        Gauge.builder("myoflow.dicom.spool.usable.bytes", spool, s -> s.usableBytes()).baseUnit("bytes")
                .description("usable space on the spool's file system (below the reserve new instances are refused)")
                .register(registry);
        Gauge.builder("myoflow.dicom.spool.unplaced", spool, s -> s.unplacedCount())
                .description("acknowledged instances whose spool file is not written yet (disk full; retried)")
                .register(registry);
    }

    /**
     * A refused association, tagged with why (calling-ae, called-ae, limit, not-dicom, request-timeout; pending-limit
     * for a connection closed unread because too many were waiting for their request to be answered).
     */
    public void associationRejected(String reason) {
        Counter.builder("myoflow.dicom.associations").tag("result", "rejected-" + reason)
                .description("associations rejected").register(registry).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
