package org.myoflow.workers;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import io.temporal.failure.ApplicationFailure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.myoflow.dicom.scu.PacsDestination;
import org.myoflow.dicom.scu.StorageScu;
import org.myoflow.dicom.results.MeasurementReportWriter;
import org.myoflow.dicom.results.OverlayWriter;
import org.myoflow.dicom.results.SegmentationWriter;
import org.myoflow.dicom.results.Uids;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.SegmentationCompleted;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.events.StudyFailed;
import org.myoflow.workflows.events.Topics;
import org.myoflow.workflows.segmentation.ExportResult;
import org.myoflow.workflows.segmentation.IoActivities;
import org.myoflow.workflows.segmentation.MaskResult;
import org.myoflow.workflows.segmentation.NetworkOutput;
import org.myoflow.workflows.segmentation.PreparedInput;
import org.myoflow.workflows.segmentation.SegmentationRequest;
import org.myoflow.workflows.segmentation.SegmentationWorkflowImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Export to the PACS and the result events. The SEG's UIDs derive from study, revision, source series and model
 * version, so an export repeated after a crash or a retry stores the same instance again, never a second one.
 */
public final class IoActivitiesImpl implements IoActivities, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IoActivitiesImpl.class);
    /** Marker of a finished revision under its run folder; the starter skips revisions that have it. */
    public static final String COMPLETED_FILE = "completed.json";
    public static final String FAILED_FILE = "failed.json";

    private final Path root;
    private final List<PacsDestination> destinations;
    private final String callingAe;
    private final KafkaProducer<String, byte[]> producer;
    private final boolean fractionalSeg;

    /**
     * @param fractionalSeg write the SEG as FRACTIONAL probabilities instead of BINARY
     */
    public IoActivitiesImpl(Path storageRoot, List<PacsDestination> destinations, String callingAe,
                            String kafkaBootstrap, boolean fractionalSeg) {
        this.root = storageRoot;
        this.fractionalSeg = fractionalSeg;
        this.destinations = List.copyOf(destinations);
        this.callingAe = callingAe;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The headers of the series' spooled instances, which the SEG, SR and overlay reference. An instance the spool no
     * longer holds (taken out by retention) is a failure no retry mends: without this, export's unlimited retries
     * would go on for ever.
     */
    static List<AttributeList> sourceHeaders(Path root, String study, SeriesReceived series)
            throws IOException, DicomException {
        List<AttributeList> sources = new ArrayList<>();
        for (String sop : series.sopInstanceUids()) {
            Path file = root.resolve("spool").resolve(study).resolve(series.seriesInstanceUid()).resolve(sop + ".dcm");
            if (Files.notExists(file)) {
                throw ApplicationFailure.newNonRetryableFailure("source instance " + sop + " of study " + study
                        + " is no longer in the spool (taken out by retention, MYOFLOW_SPOOL_RETENTION_DAYS): send "
                        + "the study again to segment it", SegmentationWorkflowImpl.BAD_INPUT);
            }
            AttributeList l = new AttributeList();
            l.read(file.toFile(), TagFromName.PixelData);
            sources.add(l);
        }
        return sources;
    }

    @Override
    public ExportResult export(SegmentationRequest request, PreparedInput input, MaskResult mask,
                               NetworkOutput output) {
        String study = request.study().studyInstanceUid();
        SeriesReceived series = request.study().series().stream()
                .filter(s -> s.seriesInstanceUid().equals(input.seriesInstanceUid())).findFirst()
                .orElseThrow(() -> new IllegalStateException("series " + input.seriesInstanceUid() + " not in event"));
        String identity = study + "/r" + request.study().revision() + "/" + input.seriesInstanceUid() + "/"
                + request.modelVersion();
        String seriesUid = Uids.derived("myoflow-seg-series/" + identity);
        String sopUid = Uids.derived("myoflow-seg/" + identity);
        Path dir = root.resolve(input.workDir());
        Map<PacsDestination.Output, Path> files = new EnumMap<>(PacsDestination.Output.class);
        int frames;
        try {
            List<AttributeList> sources = sourceHeaders(root, study, series);
            BinaryMask m = Nifti.readMask(root.resolve(mask.maskPath()));
            String model = request.modelVersion();
            float[] probabilities = fractionalSeg
                    ? Nifti.readVolume(root.resolve(mask.probabilitiesPath())).data() : null;
            BinaryMask cavity = Nifti.readMask(root.resolve(mask.cavityPath()));
            List<SegmentationWriter.Part> parts = new ArrayList<>(List.of(SegmentationWriter.Part.lvMyocardium(m)));
            List<MeasurementReportWriter.MeasuredSegment> measured = new ArrayList<>(
                    List.of(MeasurementReportWriter.MeasuredSegment.lvMyocardium(m.volumeMl())));
            if (!cavity.isEmpty()) {
                parts.add(SegmentationWriter.Part.lvCavity(cavity));
                measured.add(MeasurementReportWriter.MeasuredSegment.lvCavity(cavity.volumeMl()));
            }
            AttributeList seg = SegmentationWriter.build(parts, probabilities, sources,
                    SegmentationWriter.Segment.lvMyocardium(model), seriesUid, sopUid, 9001);
            frames = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.NumberOfFrames, 0);
            files.put(PacsDestination.Output.SEG, write(seg, dir.resolve("seg.dcm")));
            AttributeList sr = MeasurementReportWriter.build(sources, seg, measured, model,
                    Uids.derived("myoflow-sr-series/" + identity), Uids.derived("myoflow-sr/" + identity), 9002);
            files.put(PacsDestination.Output.SR, write(sr, dir.resolve("sr.dcm")));
            AttributeList sc = OverlayWriter.build(Nifti.readVolume(root.resolve(input.sourceVolumePath())), m,
                    sources.get(0), model, Uids.derived("myoflow-sc-series/" + identity),
                    Uids.derived("myoflow-sc/" + identity), 9003);
            files.put(PacsDestination.Output.SC, write(sc, dir.resolve("overlay-sc.dcm")));
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure("cannot encode the results: " + e.getMessage(),
                    SegmentationWorkflowImpl.BAD_INPUT);
        } catch (IOException | DicomException e) {
            throw new IllegalStateException("cannot write the results for study " + study + ": " + e, e);
        }
        List<String> stored = new ArrayList<>();
        for (PacsDestination d : destinations) {
            List<Path> outputs = new ArrayList<>();
            for (PacsDestination.Output o : d.outputs()) {
                outputs.add(encoded(files.get(o), d.transferSyntax()));
            }
            if (outputs.isEmpty()) {
                continue;
            }
            try {
                StorageScu.send(d, callingAe, outputs);
            } catch (StorageScu.SendFailedException e) {
                // retried by Temporal with backoff: destinations already done just store the same instances again
                throw new IllegalStateException(e.getMessage(), e);
            }
            stored.add(d.aeTitle());
        }
        log.info("event=exported study={} seg={} frames={} destinations={}", study, sopUid, frames, stored);
        return new ExportResult(root.relativize(files.get(PacsDestination.Output.SEG)).toString(), sopUid, seriesUid,
                frames, stored);
    }

    /** The file in the destination's transfer syntax (a copy beside it, made once, unless explicit VR LE). */
    private static Path encoded(Path file, PacsDestination.Encoding ts) {
        if (ts == PacsDestination.Encoding.EXPLICIT) {
            return file;
        }
        Path copy = file.resolveSibling(file.getFileName().toString().replace(".dcm", "." + ts.name()
                .toLowerCase(java.util.Locale.ROOT) + ".dcm"));
        if (Files.notExists(copy)) {
            try {
                AttributeList l = new AttributeList();
                l.read(file.toFile());
                l.removeGroupLengthAttributes();
                l.removeMetaInformationHeaderAttributes();
                com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l, ts.uid, "MYOFLOW");
                Path part = copy.resolveSibling(copy.getFileName() + ".part");
                l.write(part.toFile(), ts.uid, true, true);
                Files.move(part, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | DicomException e) {
                throw new IllegalStateException("cannot encode " + file.getFileName() + " as " + ts + ": " + e, e);
            }
        }
        return copy;
    }

    private static Path write(AttributeList object, Path file) throws IOException, DicomException {
        SegmentationWriter.write(object, file);
        return file;
    }

    @Override
    public void completed(SegmentationCompleted event) {
        publish(Topics.SEGMENTATION_COMPLETED, event.studyInstanceUid(), EventJson.toBytes(event));
        mark(event.studyInstanceUid(), event.revision(), event.modelVersion(), COMPLETED_FILE,
                EventJson.toBytes(event));
        log.info("event=segmentation_completed study={} revision={} model={} seg={}", event.studyInstanceUid(),
                event.revision(), event.modelVersion(), event.segSopInstanceUid());
    }

    @Override
    public void failed(StudyFailed event) {
        String model = event.workflowId().split(":").length > 2 ? event.workflowId().split(":")[2] : "unknown";
        mark(event.studyInstanceUid(), event.revision(), model, FAILED_FILE, EventJson.toBytes(event));
        publish(Topics.DEADLETTER, event.studyInstanceUid(), EventJson.toBytes(event));
    }

    private void mark(String study, int revision, String model, String name, byte[] content) {
        Path dir = root.resolve("studies").resolve(study).resolve("r" + revision).resolve("myoflow-" + model);
        try {
            Files.createDirectories(dir);
            Spool.writeDurably(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void publish(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge " + topic + ": " + e, e);
        }
    }

    /** True when the revision's result for this model is recorded as complete. */
    public static boolean isCompleted(Path storageRoot, SegmentationRequest r) {
        return Files.exists(storageRoot.resolve(CpuActivitiesImpl.workDir(r)).resolve(COMPLETED_FILE));
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
