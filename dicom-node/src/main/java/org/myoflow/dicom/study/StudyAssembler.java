package org.myoflow.dicom.study;

import org.myoflow.dicom.NodeMetrics;
import org.myoflow.dicom.scp.ReceiveListener;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.spool.SpooledInstance;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.StudyReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Decides when a study is complete. Three rules, whichever comes first: (a) no instance for the quiet period;
 * (b) certain completeness when an association ends and every series of the study is known whole (one
 * multi-frame volume, or its Number of Series Related Instances / Images in Acquisition reached); (c) the sender's
 * Storage Commitment request, which names the complete set. Instances arriving after completion form the next
 * revision, never a silent merge.
 */
public final class StudyAssembler implements ReceiveListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StudyAssembler.class);

    private final Spool spool;
    private final Path spoolDir;
    private final Duration quietPeriod;
    private final NodeMetrics metrics;
    private final BiConsumer<StudyRevision, List<SpooledInstance>> onComplete;
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "study-quiet-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Study> studies = new HashMap<>();

    /**
     * Per-study state: instances not yet in a revision, and how many revisions there were (not their instances: the
     * revision files name them, and a node kept every study's for as long as it ran).
     */
    private static final class Study {
        final Map<String, SpooledInstance> pending = new LinkedHashMap<>();
        int revisions;
        Instant firstPending;
        long lastArrivalNanos;
        String callingAe = "";
        ScheduledFuture<?> timer;
        /** Which timer is the study's: one replaced while it was already firing must not act. */
        long timerNumber;
    }

    /**
     * @param onComplete called (on the timer thread or the association's thread) with each new durable revision
     */
    public StudyAssembler(Spool spool, Duration quietPeriod, NodeMetrics metrics,
                          BiConsumer<StudyRevision, List<SpooledInstance>> onComplete) {
        this.spool = spool;
        this.spoolDir = spool.directory();
        this.quietPeriod = quietPeriod;
        this.metrics = metrics;
        this.onComplete = onComplete;
        timers.setRemoveOnCancelPolicy(true); // a cancelled timer leaves the queue at once, not when it would fire
    }

    /**
     * Rebuilds state from the spool after a restart: instances already in a revision stay there; the rest are
     * pending and get a fresh quiet timer. Returns the revisions found on disk (for re-announcing).
     */
    public synchronized List<StudyRevision> recover(List<SpooledInstance> spooled) throws IOException {
        List<StudyRevision> revisions = new ArrayList<>();
        Map<String, List<SpooledInstance>> byStudy = new LinkedHashMap<>();
        for (SpooledInstance i : spooled) {
            byStudy.computeIfAbsent(i.studyUid(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<SpooledInstance>> e : byStudy.entrySet()) {
            Study s = studies.computeIfAbsent(e.getKey(), k -> new Study());
            Set<String> inRevisions = new HashSet<>();
            for (StudyRevision r : readRevisions(e.getKey())) {
                s.revisions = Math.max(s.revisions, r.revision());
                inRevisions.addAll(r.sopInstanceUids());
                revisions.add(r);
            }
            for (SpooledInstance i : e.getValue()) {
                if (!inRevisions.contains(i.sopInstanceUid())) {
                    s.pending.put(i.sopInstanceUid(), i);
                }
            }
            if (!s.pending.isEmpty()) {
                s.firstPending = Instant.now();
                s.lastArrivalNanos = System.nanoTime();
                schedule(e.getKey(), s);
                log.info("event=study_recovered study={} pending={} revisions={}", e.getKey(), s.pending.size(),
                        s.revisions);
            }
        }
        return revisions;
    }

    /**
     * A study first seen since start that may have revisions on disk all the same: one whose instances retention took
     * out of the spool. Its numbering goes on from the last recorded revision: a second "revision 1" would be taken
     * for the announced one (same volumes directory, same workflow id) and never announced.
     */
    private Study knownStudy(String studyUid) {
        Study s = new Study();
        try {
            s.revisions = lastRecordedRevision(studyUid);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the revisions of study " + studyUid, e);
        }
        return s;
    }

    /** The number of the study's last recorded revision (0: none), from the records' names alone. */
    public int lastRecordedRevision(String studyUid) throws IOException {
        int last = 0;
        Path dir = spoolDir.resolve(studyUid);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "revision-*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    last = Math.max(last, Integer.parseInt(
                            name.substring("revision-".length(), name.length() - ".json".length())));
                } catch (NumberFormatException e) {
                    // not a revision record of ours
                }
            }
        }
        return last;
    }

    /** The revisions recorded for a study, in order. */
    public List<StudyRevision> readRevisions(String studyUid) throws IOException {
        List<StudyRevision> out = new ArrayList<>();
        Path dir = spoolDir.resolve(studyUid);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "revision-*.json")) {
            for (Path f : files) {
                out.add(EventJson.MAPPER.readValue(f.toFile(), StudyRevision.class));
            }
        }
        out.sort(java.util.Comparator.comparingInt(StudyRevision::revision));
        return out;
    }

    /** Whether instances of this study wait for their revision (they arrived since its last one). */
    public synchronized boolean hasPending(String studyUid) {
        Study s = studies.get(studyUid);
        return s != null && !s.pending.isEmpty();
    }

    @Override
    public synchronized void stored(SpooledInstance instance, String callingAe) {
        Study s = studies.computeIfAbsent(instance.studyUid(), this::knownStudy);
        if (s.pending.isEmpty()) {
            s.firstPending = Instant.now();
        }
        s.pending.put(instance.sopInstanceUid(), instance);
        s.lastArrivalNanos = System.nanoTime();
        s.callingAe = callingAe;
        if (s.timer == null) { // a running timer sees the new arrival when it fires, and waits out the rest
            schedule(instance.studyUid(), s);
        }
    }

    @Override
    public void associationEnded(String callingAe, Set<String> studyUids, boolean released) {
        if (!released) {
            return; // an aborted sender may come back with the rest: wait for the quiet timer
        }
        for (String study : studyUids) {
            synchronized (this) {
                Study s = studies.get(study);
                if (s != null && !s.pending.isEmpty() && everySeriesWhole(s.pending.values())) {
                    complete(study, s, StudyReceived.Completion.CERTAIN);
                }
            }
        }
    }

    /**
     * Storage Commitment: the listed instances are the complete set. Those still pending become a revision now;
     * pending instances the sender did not list stay pending (they will form the next revision).
     */
    @Override
    public synchronized void committed(Map<String, Set<String>> sopInstancesByStudy) {
        for (Map.Entry<String, Set<String>> e : sopInstancesByStudy.entrySet()) {
            Study s = studies.get(e.getKey());
            if (s == null) {
                continue;
            }
            Map<String, SpooledInstance> unlisted = new LinkedHashMap<>(s.pending);
            unlisted.keySet().removeAll(e.getValue());
            s.pending.keySet().retainAll(e.getValue());
            if (!s.pending.isEmpty()) {
                complete(e.getKey(), s, StudyReceived.Completion.STORAGE_COMMITMENT);
            }
            if (!unlisted.isEmpty()) {
                s.pending.putAll(unlisted);
                s.firstPending = Instant.now();
                schedule(e.getKey(), s);
            }
        }
    }

    static boolean everySeriesWhole(java.util.Collection<SpooledInstance> instances) {
        Map<String, List<SpooledInstance>> bySeries = new HashMap<>();
        for (SpooledInstance i : instances) {
            bySeries.computeIfAbsent(i.seriesUid(), k -> new ArrayList<>()).add(i);
        }
        for (List<SpooledInstance> series : bySeries.values()) {
            boolean singleVolume = series.size() == 1 && series.get(0).volumetric();
            int expected = series.stream().mapToInt(SpooledInstance::seriesRelatedInstances).max().orElse(0);
            if (!singleVolume && !(expected > 0 && series.size() >= expected)) {
                return false;
            }
        }
        return true;
    }

    /** (Re)starts the study's quiet timer for a whole quiet period. */
    private void schedule(String study, Study s) {
        if (s.timer != null) {
            s.timer.cancel(false);
        }
        arm(study, s, quietPeriod.toNanos());
    }

    private void arm(String study, Study s, long nanos) {
        long number = ++s.timerNumber;
        s.timer = timers.schedule(() -> quiet(study, number), nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The quiet timer fired. Instances are not each given a new timer (at 2,000 instances a second that was as many
     * cancelled timers, each waking the timer thread when it came due): one that came since the timer started moves
     * the check to a quiet period after it.
     */
    private synchronized void quiet(String study, long number) {
        Study s = studies.get(study);
        if (s == null || s.timer == null || number != s.timerNumber) {
            return; // replaced or cancelled while it was firing
        }
        s.timer = null;
        if (s.pending.isEmpty()) {
            return;
        }
        long left = quietPeriod.toNanos() - (System.nanoTime() - s.lastArrivalNanos);
        if (left <= 1_000_000) {
            complete(study, s, StudyReceived.Completion.QUIET_TIMER);
        } else {
            arm(study, s, left);
        }
    }

    /** Called with the lock held: records the revision durably, then hands it on. */
    private void complete(String study, Study s, StudyReceived.Completion why) {
        if (s.timer != null) {
            s.timer.cancel(false);
            s.timer = null;
        }
        List<SpooledInstance> members = new ArrayList<>(s.pending.values());
        StudyRevision r = new StudyRevision(study, s.revisions + 1, why, s.callingAe, s.firstPending, Instant.now(),
                members.stream().map(SpooledInstance::sopInstanceUid).toList());
        try {
            spool.syncDirectories(); // the members' renames are durable before the revision names them
            Spool.writeDurably(spoolDir.resolve(study).resolve("revision-" + r.revision() + ".json"),
                    EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        } catch (IOException e) {
            // Stay pending: the next instance or timer tries again; nothing is announced without this record.
            log.error("event=revision_not_recorded study={} reason=\"{}\"", study, e.toString());
            schedule(study, s);
            return;
        }
        s.revisions = r.revision();
        s.pending.clear();
        metrics.completenessLatency.record(System.nanoTime() - s.lastArrivalNanos, TimeUnit.NANOSECONDS);
        metrics.studyInstances.record(members.size());
        log.info("event=study_complete study={} revision={} completion={} instances={}", study, r.revision(), why,
                members.size());
        onComplete.accept(r, members);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
