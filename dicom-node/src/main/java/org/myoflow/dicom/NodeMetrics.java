package org.myoflow.dicom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The DICOM node's meters (Micrometer): associations, instances, bytes, rejects, quarantine, completeness. */
public final class NodeMetrics {
    private final MeterRegistry registry;
    public final Counter associationsAccepted;
    public final Counter instancesStored;
    public final Counter instancesDuplicate;
    public final Counter instancesQuarantined;
    public final Counter bytesReceived;
    public final Counter echoes;
    public final Timer storeTime;
    public final Timer completenessLatency;
    public final DistributionSummary studyInstances;
    public final Counter studiesAnnounced;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        associationsAccepted = Counter.builder("myoflow.dicom.associations").tag("result", "accepted")
                .description("associations accepted").register(registry);
        instancesStored = instances("stored");
        instancesDuplicate = instances("duplicate");
        instancesQuarantined = instances("quarantined");
        bytesReceived = Counter.builder("myoflow.dicom.received.bytes").baseUnit("bytes")
                .description("data set bytes received").register(registry);
        echoes = Counter.builder("myoflow.dicom.echoes").description("C-ECHO requests answered").register(registry);
        storeTime = Timer.builder("myoflow.dicom.store.time")
                .description("last data fragment to C-STORE response (fsync, checks, rename)").register(registry);
        completenessLatency = Timer.builder("myoflow.dicom.completeness.latency")
                .description("last instance of a study to the study declared complete").register(registry);
        studyInstances = DistributionSummary.builder("myoflow.dicom.study.instances")
                .description("instances per completed study revision").register(registry);
        studiesAnnounced = Counter.builder("myoflow.dicom.studies.announced")
                .description("study revisions acknowledged by Kafka").register(registry);
    }

    private Counter instances(String outcome) {
        return Counter.builder("myoflow.dicom.instances").tag("outcome", outcome)
                .description("instances received, by outcome").register(registry);
    }

    /** A refused association, tagged with why (calling-ae, called-ae, limit, not-dicom). */
    public void associationRejected(String reason) {
        Counter.builder("myoflow.dicom.associations").tag("result", "rejected-" + reason)
                .description("associations rejected").register(registry).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
