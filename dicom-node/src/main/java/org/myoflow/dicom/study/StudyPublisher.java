package org.myoflow.dicom.study;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.LossyHistory;
import org.myoflow.dicom.NodeMetrics;
import org.myoflow.dicom.results.ReviewedLabels;
import org.myoflow.dicom.results.SegmentationWriter;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.spool.SpooledInstance;
import org.myoflow.dicom.volume.SeriesVolumeException;
import org.myoflow.dicom.volume.SeriesVolumes;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.events.ReviewedLabelReceived;
import org.myoflow.workflows.events.StudyReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns each complete study revision into volumes ({@code studies/<study>/r<n>/<series>.nii.gz} + geometry JSON) and
 * a {@link StudyReceived} event, then announces it; the revision is marked announced
 * ({@code spool/<study>/revision-<n>.announced}) only after Kafka acknowledged it. Failed announcements are retried
 * with backoff, without limit (a study is never dropped because Kafka or the disk was away); every failed try is
 * counted by stage, and the revisions not yet acknowledged are kept countable, with the age of the oldest, so that
 * operators see a study stuck in retry. At startup every recorded but unannounced revision is announced again.
 */
public final class StudyPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StudyPublisher.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final Path storageRoot;
    private final Path spoolDir;
    private final KafkaStudyAnnouncer announcer;
    private final NodeMetrics metrics;
    private final ReviewedLabels labels;
    /** Revisions submitted and not yet acknowledged by Kafka (queued, converting, retrying), by when they completed. */
    private final Map<String, Instant> unannounced = new ConcurrentHashMap<>();
    /** The next try of each revision that failed, waiting for its backoff. */
    private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "study-publisher");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param announcer null when no Kafka is configured: revisions are converted and recorded, and stay unannounced
     *     until a node with Kafka starts on this storage root
     */
    public StudyPublisher(Path storageRoot, Path spoolDir, KafkaStudyAnnouncer announcer, NodeMetrics metrics) {
        this.storageRoot = storageRoot;
        this.spoolDir = spoolDir;
        this.announcer = announcer;
        this.metrics = metrics;
        this.labels = new ReviewedLabels(storageRoot);
    }

    /** Queues a revision for conversion and announcement (returns at once). */
    public void submit(StudyRevision revision, List<SpooledInstance> members) {
        unannounced.putIfAbsent(key(revision), revision.completedAt());
        worker.execute(() -> publish(revision, members, 1000));
    }

    /** Revisions submitted to this publisher that Kafka has not acknowledged yet. */
    public int unannouncedCount() {
        return unannounced.size();
    }

    /** How long ago the oldest of {@link #unannouncedCount()} completed; zero when there is none. */
    public Duration oldestUnannounced(Instant now) {
        return unannounced.values().stream().min(Comparator.naturalOrder())
                .map(t -> Duration.between(t, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }

    private static String key(StudyRevision r) {
        return r.studyInstanceUid() + "/" + r.revision();
    }

    /** Whether Kafka acknowledged this revision. */
    public boolean announced(StudyRevision r) {
        return Files.exists(announcedMarker(r));
    }

    /** When Kafka acknowledged this revision (its marker's time), or empty while it is not announced. */
    public Optional<Instant> announcedAt(StudyRevision r) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(announcedMarker(r)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path announcedMarker(StudyRevision r) {
        return spoolDir.resolve(r.studyInstanceUid()).resolve("revision-" + r.revision() + ".announced");
    }

    private Path revisionDir(StudyRevision r) {
        return storageRoot.resolve("studies").resolve(r.studyInstanceUid()).resolve("r" + r.revision());
    }

    private void publish(StudyRevision r, List<SpooledInstance> members, long backoffMs) {
        if (announced(r)) {
            unannounced.remove(key(r));
            return;
        }
        StudyReceived event;
        try {
            Path eventFile = revisionDir(r).resolve("study-received.json");
            if (Files.exists(eventFile)) {
                event = EventJson.fromBytes(Files.readAllBytes(eventFile), StudyReceived.class);
            } else {
                event = convert(r, members);
                Spool.writeDurably(eventFile, EventJson.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(event));
            }
        } catch (IOException | RuntimeException e) {
            metrics.publishConversionFailures.increment();
            log.error("event=study_conversion_failed study={} revision={} reason=\"{}\" retryInMs={}",
                    r.studyInstanceUid(), r.revision(), e.toString(), backoffMs);
            retry(r, members, backoffMs);
            return;
        }
        if (announcer == null) {
            log.warn("event=study_not_announced study={} revision={} reason=\"no Kafka configured\"",
                    r.studyInstanceUid(), r.revision());
            return;
        }
        try {
            announcer.announce(event);
            for (SeriesReceived s : event.series()) {
                if (s.reviewedLabelPath() != null) {
                    announcer.announce(EventJson.fromBytes(Files.readAllBytes(labelEvent(s.reviewedLabelPath())),
                            ReviewedLabelReceived.class));
                }
            }
            Spool.writeDurably(announcedMarker(r), event.completedAt().toString().getBytes());
            unannounced.remove(key(r));
            metrics.studiesAnnounced.increment();
            log.info("event=study_announced study={} revision={} series={} instances={}", r.studyInstanceUid(),
                    r.revision(), event.series().size(), event.instanceCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            metrics.publishAnnounceFailures.increment();
            log.warn("event=study_announce_failed study={} revision={} reason=\"{}\" retryInMs={}",
                    r.studyInstanceUid(), r.revision(), e.toString(), backoffMs);
            retry(r, members, backoffMs);
        }
    }

    private void retry(StudyRevision r, List<SpooledInstance> members, long backoffMs) {
        if (!worker.isShutdown()) {
            ScheduledFuture<?> next = worker.schedule(() -> {
                retries.remove(key(r));
                publish(r, members, Math.min(backoffMs * 2, MAX_BACKOFF_MS));
            }, backoffMs, TimeUnit.MILLISECONDS);
            retries.put(key(r), next);
        }
    }

    private StudyReceived convert(StudyRevision r, List<SpooledInstance> members) throws IOException {
        Map<String, List<SpooledInstance>> bySeries = new LinkedHashMap<>();
        members.stream().sorted(Comparator.comparingInt(SpooledInstance::seriesNumber))
                .forEach(i -> bySeries.computeIfAbsent(i.seriesUid(), k -> new ArrayList<>()).add(i));
        Path dir = revisionDir(r);
        Files.createDirectories(dir);
        List<SeriesReceived> series = new ArrayList<>();
        for (List<SpooledInstance> s : bySeries.values()) {
            SpooledInstance first = s.get(0);
            List<String> uids = s.stream().map(SpooledInstance::sopInstanceUid).toList();
            String volumePath = null;
            String geometryPath = null;
            String error = null;
            String labelPath = null;
            if (SegmentationWriter.SEGMENTATION_STORAGE.equals(first.sopClassUid())) {
                // a segmentation coming back: a reviewed label when it corrects a study Myoflow segmented
                try {
                    ReviewedLabels.Stored stored = labels.store(r.studyInstanceUid(), first.file());
                    labelPath = stored.labelPath();
                    ReviewedLabelReceived reviewed = new ReviewedLabelReceived(ReviewedLabelReceived.SCHEMA_VERSION,
                            r.studyInstanceUid(), r.revision(), first.sopInstanceUid(),
                            stored.referencedSeriesUid(), labelPath, r.callingAeTitle(), stored.creator(),
                            stored.voxels(), stored.volumeMl(), r.completedAt());
                    Spool.writeDurably(labelEvent(labelPath), EventJson.toBytes(reviewed));
                    log.info("event=reviewed_label_stored study={} seg={} series={} voxels={} creator=\"{}\"",
                            r.studyInstanceUid(), first.sopInstanceUid(), stored.referencedSeriesUid(),
                            stored.voxels(), stored.creator());
                } catch (ReviewedLabels.NotALabelException e) {
                    error = e.getMessage();
                    log.info("event=seg_not_a_label study={} seg={} reason=\"{}\"", r.studyInstanceUid(),
                            first.sopInstanceUid(), error);
                }
                series.add(new SeriesReceived(first.seriesUid(), first.modality(), first.sopClassUid(),
                        first.seriesNumber(), first.seriesDescription(), uids, null, null, error, labelPath));
                continue;
            }
            try {
                Volume v = SeriesVolumes.read(s.stream().map(SpooledInstance::file).toList(), first.sopClassUid());
                Path nii = dir.resolve(first.seriesUid() + ".nii.gz");
                Path json = dir.resolve(first.seriesUid() + ".json");
                Nifti.write(nii, v, NiftiDataType.FLOAT32, first.modality() + " " + first.seriesNumber());
                AttributeList head = header(first.file()); // a series is one frame of reference, one compression
                SeriesGeometry g = new SeriesGeometry(1, r.studyInstanceUid(), first.seriesUid(), first.modality(),
                        first.sopClassUid(), v.grid().dims(), v.grid().spacing(), v.grid().affine().rowMajor3x4(),
                        uids, Attrs.string(head, TagFromName.FrameOfReferenceUID),
                        LossyHistory.of(List.of(head)).lossy());
                Spool.writeDurably(json, EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(g));
                volumePath = storageRoot.relativize(nii).toString();
                geometryPath = storageRoot.relativize(json).toString();
            } catch (SeriesVolumeException e) {
                error = e.getMessage();
                log.info("event=series_not_a_volume study={} series={} reason=\"{}\"", r.studyInstanceUid(),
                        first.seriesUid(), error);
            }
            series.add(new SeriesReceived(first.seriesUid(), first.modality(), first.sopClassUid(),
                    first.seriesNumber(), first.seriesDescription(), uids, volumePath, geometryPath, error, null));
        }
        SpooledInstance any = members.get(0);
        return new StudyReceived(StudyReceived.SCHEMA_VERSION, r.studyInstanceUid(), r.revision(), any.patientId(),
                any.patientName(), any.accessionNumber(), r.callingAeTitle(), members.size(), r.completion(),
                r.firstReceivedAt(), r.completedAt(), series);
    }

    /** The ReviewedLabelReceived event kept beside a label until it is announced with its revision. */
    private Path labelEvent(String labelPath) {
        Path label = storageRoot.resolve(labelPath);
        return label.resolveSibling(label.getFileName().toString().replace(".nii.gz", ".json"));
    }

    /** A spooled instance's header, its file meta information included (the transfer syntax it arrived in). */
    private static AttributeList header(Path file) throws IOException {
        AttributeList l = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(file.toFile())) {
            l.read(in, TagFromName.PixelData);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IOException(e);
        }
        return l;
    }

    @Override
    public void close() throws InterruptedException {
        // a retry waiting for its backoff is not waited for: its revision is recorded and announced at the next start
        retries.values().forEach(f -> f.cancel(false));
        worker.shutdown();
        retries.values().forEach(f -> f.cancel(false)); // one scheduled by a try that was running
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
