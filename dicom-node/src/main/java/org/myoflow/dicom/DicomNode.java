package org.myoflow.dicom;

import io.micrometer.core.instrument.MeterRegistry;
import org.myoflow.dicom.scp.DicomServer;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.spool.SpooledInstance;
import org.myoflow.dicom.study.KafkaStudyAnnouncer;
import org.myoflow.dicom.study.StudyAssembler;
import org.myoflow.dicom.study.StudyPublisher;
import org.myoflow.dicom.study.StudyRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private DicomNode(DicomNodeConfig config, MeterRegistry registry) throws IOException {
        this.config = config;
        NodeMetrics metrics = new NodeMetrics(registry);
        this.spool = new Spool(config.storageRoot(), config.fsync(), config.journalLimitBytes(),
                Spool.DEFAULT_SEGMENT_BYTES, config.minFreeBytes());
        metrics.watch(spool);
        List<SpooledInstance> spooled = spool.spooledAtStart();
        this.announcer = config.kafkaBootstrapServers() == null ? null
                : new KafkaStudyAnnouncer(config.kafkaBootstrapServers(), config.kafkaAckTimeout());
        this.publisher = new StudyPublisher(config.storageRoot(), spool.directory(), announcer, metrics);
        this.assembler = new StudyAssembler(spool, config.quietPeriod(), metrics, publisher::submit);
        spool.onPlacedLate(assembler::stored); // acknowledged while the disk was full, its file written since
        Map<String, SpooledInstance> bySop = new HashMap<>();
        spooled.forEach(i -> bySop.put(i.sopInstanceUid(), i));
        int again = 0;
        for (StudyRevision r : assembler.recover(spooled)) {
            if (!publisher.announced(r)) {
                List<SpooledInstance> members = new ArrayList<>();
                r.sopInstanceUids().stream().map(bySop::get).filter(java.util.Objects::nonNull).forEach(members::add);
                publisher.submit(r, members);
                again++;
            }
        }
        log.info("event=node_recovered instances={} revisionsToAnnounce={} kafka={}", spooled.size(), again,
                config.kafkaBootstrapServers() == null ? "none" : config.kafkaBootstrapServers());
        this.server = new DicomServer(config.scp(), spool, metrics, assembler);
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

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        assembler.close();
        publisher.close();
        if (announcer != null) {
            announcer.close();
        }
        spool.close();
    }
}
