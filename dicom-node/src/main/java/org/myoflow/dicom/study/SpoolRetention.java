package org.myoflow.dicom.study;

import org.myoflow.dicom.NodeMetrics;
import org.myoflow.dicom.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The spool is a door, not an archive (the PACS is): a study whose every revision Kafka acknowledged longer ago than
 * the retention leaves it. Its instances' files go; its revision records and announcement markers stay (a few hundred
 * bytes), so that a copy sent again later is stored anew as the next revision, never a revision 1 that the study's
 * volumes and workflow ids already name. A study with an unannounced revision, or with instances waiting for their
 * revision, is kept whatever its age. Volumes and results under {@code studies/} are not touched.
 */
public final class SpoolRetention {
    private static final Logger log = LoggerFactory.getLogger(SpoolRetention.class);
    /** In a study's spool directory: the last revision whose instances left the spool. */
    static final String RETIRED_MARKER = "retired-through-revision";
    /** How long a sweep waits for the journal's checkpoint before it leaves the work to the next sweep. */
    private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(60);

    private final Spool spool;
    private final StudyAssembler assembler;
    private final StudyPublisher publisher;
    private final NodeMetrics metrics;
    private final Duration retention;

    /** What one sweep took out of the spool. */
    public record Sweep(int studies, long instances, long bytes) {
    }

    /** @param retention zero keeps every instance */
    public SpoolRetention(Spool spool, StudyAssembler assembler, StudyPublisher publisher, NodeMetrics metrics,
                          Duration retention) {
        this.spool = spool;
        this.assembler = assembler;
        this.publisher = publisher;
        this.metrics = metrics;
        this.retention = retention;
    }

    /** Takes every study announced longer ago than the retention out of the spool. */
    public Sweep retireExpired() throws IOException {
        if (retention.isZero()) {
            return new Sweep(0, 0, 0);
        }
        long t0 = System.nanoTime();
        List<Expired> expired = expired(Instant.now().minus(retention));
        if (expired.isEmpty()) {
            return new Sweep(0, 0, 0);
        }
        // a file deleted while its journal record can still be replayed would come back after a crash
        if (!spool.checkpointJournal(CHECKPOINT_WAIT)) {
            log.info("event=spool_retention_deferred studies={} reason=\"the journal found no quiet moment for its "
                    + "checkpoint; the next sweep tries again\"", expired.size());
            return new Sweep(0, 0, 0);
        }
        int studies = 0;
        long instances = 0;
        long bytes = 0;
        for (Expired e : expired) {
            try {
                long[] retired = retire(e);
                studies++;
                instances += retired[0];
                bytes += retired[1];
            } catch (IOException ex) { // one study's trouble (a file it cannot delete) does not stop the sweep
                log.warn("event=study_retirement_failed study={} reason=\"{}\"", e.study(), ex.toString());
            }
        }
        log.info("event=spool_retention_swept studies={} instances={} bytes={} retentionHours={} ms={}", studies,
                instances, bytes, retention.toHours(), (System.nanoTime() - t0) / 1_000_000);
        return new Sweep(studies, instances, bytes);
    }

    /**
     * Quarantine holds refused input for an operator to look at; it is kept as long as the spool keeps instances,
     * then goes too. Returns the number of quarantined files deleted.
     */
    public long pruneQuarantine() throws IOException {
        if (retention.isZero()) {
            return 0;
        }
        long[] pruned = spool.pruneQuarantine(Instant.now().minus(retention));
        if (pruned[0] > 0) {
            log.info("event=quarantine_pruned files={} bytes={} retentionHours={}", pruned[0], pruned[1],
                    retention.toHours());
        }
        return pruned[0];
    }

    /** A study due to leave the spool: its revisions after the last retired one, and when the newest was announced. */
    private record Expired(String study, Path dir, List<StudyRevision> revisions, Instant lastAnnounced) {
        int last() {
            return revisions.get(revisions.size() - 1).revision();
        }
    }

    private List<Expired> expired(Instant cutoff) throws IOException {
        List<Expired> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(spool.directory(),
                p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))) {
            for (Path dir : dirs) {
                String study = dir.getFileName().toString();
                try {
                    Expired e = expiredStudy(study, dir, cutoff);
                    if (e != null) {
                        out.add(e);
                    }
                } catch (IOException e) {
                    log.warn("event=study_retirement_failed study={} reason=\"{}\"", study, e.toString());
                }
            }
        }
        return out;
    }

    /** The study when every revision was announced before the cutoff and some are not retired yet; else null. */
    private Expired expiredStudy(String study, Path dir, Instant cutoff) throws IOException {
        if (assembler.hasPending(study)) {
            return null; // instances arriving: a revision is on its way
        }
        int retiredThrough = retiredThrough(dir);
        if (assembler.lastRecordedRevision(study) <= retiredThrough) {
            return null; // retired already (or no revision yet): its records are not read again at every sweep
        }
        List<StudyRevision> revisions = assembler.readRevisions(study);
        if (revisions.isEmpty()) {
            return null;
        }
        Instant newest = Instant.MIN;
        for (StudyRevision r : revisions) {
            Optional<Instant> at = publisher.announcedAt(r);
            if (at.isEmpty()) {
                return null; // not yet acknowledged by Kafka: its workflow has not even started
            }
            newest = at.get().isAfter(newest) ? at.get() : newest;
        }
        if (newest.isAfter(cutoff)) {
            return null;
        }
        return new Expired(study, dir, revisions.stream().filter(r -> r.revision() > retiredThrough).toList(), newest);
    }

    /** Deletes the study's retired revisions' files and records that it did; returns {instances, bytes}. */
    private long[] retire(Expired e) throws IOException {
        long instances = 0;
        long bytes = 0;
        for (StudyRevision r : e.revisions()) {
            for (String sop : r.sopInstanceUids()) {
                long freed = spool.retire(sop);
                if (freed >= 0) {
                    instances++;
                    bytes += freed;
                }
            }
        }
        try (DirectoryStream<Path> series = Files.newDirectoryStream(e.dir(), Files::isDirectory)) {
            for (Path s : series) {
                Spool.fsyncDirectory(s); // the deletions are durable before the marker says so
            }
        }
        Spool.writeDurably(e.dir().resolve(RETIRED_MARKER), (e.last() + "\n").getBytes(StandardCharsets.US_ASCII));
        metrics.instancesRetired.increment(instances);
        metrics.bytesRetired.increment(bytes);
        log.info("event=study_retired study={} revisions={} instances={} bytes={} lastAnnouncedAt={}", e.study(),
                e.last(), instances, bytes, e.lastAnnounced());
        return new long[] {instances, bytes};
    }

    private static int retiredThrough(Path dir) throws IOException {
        Path marker = dir.resolve(RETIRED_MARKER);
        if (Files.notExists(marker)) {
            return 0;
        }
        try {
            return Integer.parseInt(Files.readString(marker, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return 0; // unreadable: retire again (deleting what is already gone is harmless)
        }
    }
}
