package org.myoflow.dicom;

import io.micrometer.core.instrument.MeterRegistry;
import org.myoflow.dicom.scp.DicomServer;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.spool.SpooledInstance;
import org.myoflow.dicom.study.KafkaStudyAnnouncer;
import org.myoflow.dicom.study.SpoolRetention;
import org.myoflow.dicom.study.StudyAssembler;
import org.myoflow.dicom.study.StudyPublisher;
import org.myoflow.dicom.study.StudyRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The DICOM node as one service: spool, study assembly, publication and the SCP, started in the order that loses
 * nothing (recover the spool and re-announce before accepting new associations) and stopped in reverse.
 */
public final class DicomNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomNode.class);

    private final DicomNodeConfig config;
    private final Spool spool;
    private final KafkaStudyAnnouncer announcer;
    private final StudyPublisher publisher;
    private final StudyAssembler assembler;
    private final DicomServer server;
    private final SpoolRetention retention;
    /** Runs the retention sweeps; null when the spool keeps every instance. */
    private final ScheduledExecutorService retentionSweeps;

    private DicomNode(DicomNodeConfig config, MeterRegistry registry) throws IOException {
        this.config = config;
        NodeMetrics metrics = new NodeMetrics(registry);
        this.spool = new Spool(config.storageRoot(), config.fsync(), config.journalLimitBytes(),
                Spool.DEFAULT_SEGMENT_BYTES, config.minFreeBytes());
        KafkaStudyAnnouncer kafka = null;
        StudyPublisher studyPublisher = null;
        StudyAssembler studyAssembler = null;
        try {
            metrics.watch(spool);
            List<SpooledInstance> spooled = spool.takeSpooledAtStart();
            kafka = config.kafkaBootstrapServers() == null ? null
                    : new KafkaStudyAnnouncer(config.kafkaBootstrapServers(), config.kafkaAckTimeout());
            studyPublisher = new StudyPublisher(config.storageRoot(), spool.directory(), kafka, metrics);
            metrics.watch(studyPublisher);
            studyAssembler = new StudyAssembler(spool, config.quietPeriod(), metrics, studyPublisher::submit);
            spool.onPlacedLate(studyAssembler::stored); // acknowledged while the disk was full, its file written since
            Map<String, SpooledInstance> bySop = new HashMap<>();
            spooled.forEach(i -> bySop.put(i.sopInstanceUid(), i));
            int again = 0;
            for (StudyRevision r : studyAssembler.recover(spooled)) {
                if (!studyPublisher.announced(r)) {
                    List<SpooledInstance> members = new ArrayList<>();
                    r.sopInstanceUids().stream().map(bySop::get).filter(java.util.Objects::nonNull)
                            .forEach(members::add);
                    studyPublisher.submit(r, members);
                    again++;
                }
            }
            log.info("event=node_recovered instances={} revisionsToAnnounce={} kafka={}", spooled.size(), again,
                    config.kafkaBootstrapServers() == null ? "none" : config.kafkaBootstrapServers());
            this.server = new DicomServer(config.scp(), spool, metrics, studyAssembler);
        } catch (IOException | RuntimeException e) {
            // e.g. the port is taken: stop what started (an announcement not acknowledged is made again next start)
            closeAfterFailedStart(studyAssembler, studyPublisher, kafka, spool);
            throw e;
        }
        this.announcer = kafka;
        this.publisher = studyPublisher;
        this.assembler = studyAssembler;
        this.retention = new SpoolRetention(spool, studyAssembler, studyPublisher, metrics, config.spoolRetention());
        this.retentionSweeps = config.spoolRetention().isZero() ? null
                : sweepEvery(sweepPeriod(config.spoolRetention()));
    }

    /** A 24th of the retention, between a minute and an hour: a study leaves at most that much after its time. */
    static Duration sweepPeriod(Duration retention) {
        Duration d = retention.dividedBy(24);
        return d.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1)
                : d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    private ScheduledExecutorService sweepEvery(Duration period) {
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spool-retention");
            t.setDaemon(true);
            return t;
        });
        e.scheduleWithFixedDelay(() -> {
            try {
                retention.retireExpired();
                retention.pruneQuarantine();
            } catch (IOException | RuntimeException ex) { // a failed sweep is logged; the next one tries again
                log.warn("event=spool_retention_failed reason=\"{}\"", ex.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        log.info("event=spool_retention retentionHours={} sweepMinutes={}", config.spoolRetention().toHours(),
                period.toMinutes());
        return e;
    }

    private static void closeAfterFailedStart(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                log.warn("event=close_after_failed_start_failed part={} reason=\"{}\"",
                        part.getClass().getSimpleName(), e.toString());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public static DicomNode start(DicomNodeConfig config, MeterRegistry registry) throws IOException {
        return new DicomNode(config, registry);
    }

    public int port() {
        return server.port();
    }

    public DicomNodeConfig config() {
        return config;
    }

    public Spool spool() {
        return spool;
    }

    public StudyAssembler assembler() {
        return assembler;
    }

    /** The spool's retention (its sweeps run on their own; operators and tests may run one now). */
    public SpoolRetention retention() {
        return retention;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (retentionSweeps != null) {
            retentionSweeps.shutdownNow();
            retentionSweeps.awaitTermination(30, TimeUnit.SECONDS); // a sweep in progress ends before the spool does
        }
        server.close();
        assembler.close();
        publisher.close();
        if (announcer != null) {
            announcer.close();
        }
        spool.close();
    }
}
