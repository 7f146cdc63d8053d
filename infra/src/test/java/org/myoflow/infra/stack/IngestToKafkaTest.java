package org.myoflow.infra.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.EnhancedMrWriter;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.PetStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.StudyReceived;
import org.myoflow.workflows.events.Topics;

/**
 * Scanner → node → real Kafka: storescu pushes (NM multi-frame, CT and PET stacks, enhanced MR), a real consumer reads
 * the StudyReceived events off the broker.
 */
class IngestToKafkaTest {
    @TempDir
    static Path kafkaDir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(kafkaDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static DicomNodeConfig config(Path root, boolean withKafka) {
        DicomNodeConfig c = DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofMillis(1000));
        return withKafka ? c.withKafka(kafka.bootstrapServers()) : c;
    }

    @Test
    void everyCompleteStudyIsAnnouncedOnceKeyedByStudy(@TempDir Path root, @TempDir Path scanner) throws Exception {
        StudyIdentity a = StudyIdentity.forSeed(51);
        StudyIdentity b = StudyIdentity.forSeed(52);
        List<Path> files = new ArrayList<>();
        Volume va = SpectPhantom.generate("a", 51, PhantomOptions.normal()).image();
        NmReconTomoWriter.write(va, a, 1, scanner.resolve("a-nm.dcm"));
        files.add(scanner.resolve("a-nm.dcm"));
        files.addAll(CtStackWriter.write(va, a, 2, 100, Files.createDirectories(scanner.resolve("a-ct"))));
        files.addAll(PetStackWriter.write(va, a, 3, 100, Files.createDirectories(scanner.resolve("a-pt"))));
        EnhancedMrWriter.write(va, a, 4, 100, scanner.resolve("a-mr.dcm"));
        files.add(scanner.resolve("a-mr.dcm"));
        NmReconTomoWriter.write(SpectPhantom.generate("b", 52, PhantomOptions.normal()).image(), b, 1,
                scanner.resolve("b-nm.dcm"));
        files.add(scanner.resolve("b-nm.dcm"));

        try (DicomNode node = DicomNode.start(config(root, true), new SimpleMeterRegistry())) {
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), files));
            Map<String, StudyReceived> events = consumeFor(List.of(a.studyInstanceUid(), b.studyInstanceUid()),
                    Duration.ofSeconds(30));
            assertEquals(files.size() - 1, events.get(a.studyInstanceUid()).instanceCount());
            assertEquals(List.of("NM", "CT", "PT", "MR"), events.get(a.studyInstanceUid()).series().stream()
                    .map(org.myoflow.workflows.events.SeriesReceived::modality).toList(), "in series number order");
            assertEquals(1, events.get(b.studyInstanceUid()).instanceCount());
            for (String study : List.of(a.studyInstanceUid(), b.studyInstanceUid())) {
                StudyReceived e = events.get(study);
                assertTrue(e.series().stream().allMatch(s -> s.volumePath() != null
                        && Files.exists(root.resolve(s.volumePath()))), "volumes of " + e.series());
            }
            assertEquals(files.size(), spooled(root));
        }
    }

    @Test
    void completeButUnannouncedStudiesAreAnnouncedAfterRestart(@TempDir Path root, @TempDir Path scanner)
            throws Exception {
        StudyIdentity c = StudyIdentity.forSeed(53);
        Path nm = nmStudy(c, scanner.resolve("c-nm.dcm"));
        try (DicomNode node = DicomNode.start(config(root, false), new SimpleMeterRegistry())) {
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), List.of(nm)));
            Path revision = root.resolve("spool").resolve(c.studyInstanceUid()).resolve("revision-1.json");
            for (int i = 0; i < 100 && Files.notExists(revision); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(revision), "the study completed");
        }
        Path marker = root.resolve("spool").resolve(c.studyInstanceUid()).resolve("revision-1.announced");
        assertFalse(Files.exists(marker), "nothing was announced without Kafka");

        try (DicomNode node = DicomNode.start(config(root, true), new SimpleMeterRegistry())) {
            Map<String, StudyReceived> events = consumeFor(List.of(c.studyInstanceUid()), Duration.ofSeconds(30));
            assertEquals(1, events.get(c.studyInstanceUid()).revision());
            for (int i = 0; i < 100 && Files.notExists(marker); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(marker), "marked announced after Kafka's ack");
        }
    }

    /**
     * The odd real files shipped with python3-pydicom, pushed with storescu (the MR in four encodings sharing one SOP
     * Instance UID): each study is announced on the broker once with its one instance, on disk once; the CT and MR
     * slices become volumes dcm2niix agrees with, and what is not a volume (no geometry, RGB, an SR, a SEG that
     * corrects nothing Myoflow made) is announced with the reason instead of a volume.
     */
    @Test
    void theOddRealFilesOfPydicomAreAnnouncedWithVolumesDcm2niixAgreesWith(@TempDir Path root, @TempDir Path work)
            throws Exception {
        Path samples = org.myoflow.dicom.DicomTools.pydicomSamples();
        List<String> images = List.of("CT_small", "MR_small", "MR_small_implicit", "MR_small_bigendian",
                "MR_small_padded", "image_dfl", "SC_rgb_small_odd", "test-SR");
        Map<String, String> studyOf = new java.util.LinkedHashMap<>(); // sample -> its StudyInstanceUID
        for (String name : java.util.stream.Stream.concat(images.stream(), java.util.stream.Stream.of("liver_1frame"))
                .toList()) {
            com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
            l.read(samples.resolve(name + ".dcm").toFile(), com.pixelmed.dicom.TagFromName.PixelData);
            studyOf.put(name, com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(l,
                    com.pixelmed.dicom.TagFromName.StudyInstanceUID));
        }
        try (DicomNode node = DicomNode.start(config(root, true), new SimpleMeterRegistry())) {
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(),
                    images.stream().map(n -> samples.resolve(n + ".dcm")).toList()));
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), "SCANNER", List.of("-R"),
                    List.of(samples.resolve("liver_1frame.dcm")))); // storescu proposes SEG only with -R
            Map<String, StudyReceived> events = consumeFor(studyOf.values().stream().distinct().toList(),
                    Duration.ofSeconds(60));
            assertEquals(6, studyOf.values().stream().distinct().count(), "the four MR encodings are one study");
            assertEquals(6, spooled(root), "one file per distinct instance");
            for (String study : studyOf.values().stream().distinct().toList()) {
                StudyReceived e = events.get(study);
                assertEquals(1, e.instanceCount(), study);
                assertEquals(1, e.series().size(), study);
            }
            for (String name : List.of("CT_small", "MR_small")) {
                org.myoflow.workflows.events.SeriesReceived s = events.get(studyOf.get(name)).series().get(0);
                assertEquals(null, s.volumeError(), name);
                Path in = Files.createDirectories(work.resolve(name));
                Files.copy(samples.resolve(name + ".dcm"), in.resolve(name + ".dcm"));
                Volume theirs = org.myoflow.model.io.Nifti.readVolume(org.myoflow.dicom.DicomTools.dcm2niix(in,
                        Files.createDirectories(work.resolve("out-" + name)), name));
                org.myoflow.dicom.VolumeAssertions.assertSamePhysicalVoxels(
                        org.myoflow.model.io.Nifti.readVolume(root.resolve(s.volumePath())), theirs,
                        name + ": node vs dcm2niix");
            }
            for (String name : List.of("image_dfl", "SC_rgb_small_odd", "test-SR", "liver_1frame")) {
                org.myoflow.workflows.events.SeriesReceived s = events.get(studyOf.get(name)).series().get(0);
                assertEquals(null, s.volumePath(), name);
                assertTrue(s.volumeError() != null && !s.volumeError().isBlank(), name + " says why: " + s);
            }
        }
    }

    /**
     * Kafka goes away while a study completes: the node keeps it, counts every failed announcement and shows the study
     * as unannounced; once the broker is back (same address, same log) the study is announced once and leaves the
     * count.
     */
    @Test
    void aStudyCompletedWhileKafkaIsDownIsAnnouncedOnceItIsBack(@TempDir Path root, @TempDir Path scanner)
            throws Exception {
        StudyIdentity d = StudyIdentity.forSeed(56);
        Path nm = nmStudy(d, scanner.resolve("d-nm.dcm"));
        int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path marker = root.resolve("spool").resolve(d.studyInstanceUid()).resolve("revision-1.announced");
        try (DicomNode node = DicomNode.start(config(root, true).withKafkaAckTimeout(Duration.ofSeconds(1)),
                registry)) {
            kafka.close();
            try {
                assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), List.of(nm)));
                awaitTrue(() -> announceFailures(registry) >= 1, "the announcement failed while Kafka was down");
                assertEquals(1.0, registry.get("myoflow.dicom.studies.unannounced").gauge().value());
                assertFalse(Files.exists(marker));
                assertEquals(1, spooled(root), "kept meanwhile");
            } finally {
                kafka = EmbeddedKafka.start(kafkaDir, port); // the other tests' broker, back where it was
            }
            Map<String, StudyReceived> events = consumeFor(List.of(d.studyInstanceUid()), Duration.ofSeconds(60));
            assertEquals(1, events.get(d.studyInstanceUid()).revision());
            awaitTrue(() -> Files.exists(marker), "marked announced after Kafka's ack");
            assertEquals(0.0, registry.get("myoflow.dicom.studies.unannounced").gauge().value());
            assertEquals(0.0, registry.get("myoflow.dicom.studies.unannounced.oldest").gauge().value());
            assertEquals(1.0, registry.get("myoflow.dicom.studies.announced").counter().count());
        }
    }

    private static double announceFailures(SimpleMeterRegistry registry) {
        return registry.get("myoflow.dicom.studies.publish.failures").tag("stage", "announce").counter().count();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /**
     * Retention: a study announced longer ago than the retention leaves the spool (its volumes and revision records
     * stay); one announced since, or never announced, stays; the same instance sent again afterwards is stored anew
     * as the next revision and announced, not answered as a duplicate of a file that is gone.
     */
    @Test
    void studiesAnnouncedLongerAgoThanTheRetentionLeaveTheSpoolAndComeBackAsANewRevision(@TempDir Path root,
            @TempDir Path scanner) throws Exception {
        StudyIdentity old = StudyIdentity.forSeed(54);
        StudyIdentity recent = StudyIdentity.forSeed(55);
        Path oldNm = nmStudy(old, scanner.resolve("old-nm.dcm"));
        Path recentNm = nmStudy(recent, scanner.resolve("recent-nm.dcm"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path oldFile;
        try (DicomNode node = DicomNode.start(config(root, true).withSpoolRetention(Duration.ofDays(1)), registry)) {
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), List.of(oldNm, recentNm)));
            StudyReceived first = consumeFor(List.of(old.studyInstanceUid(), recent.studyInstanceUid()),
                    Duration.ofSeconds(30)).get(old.studyInstanceUid());
            Path oldSpool = root.resolve("spool").resolve(old.studyInstanceUid());
            Path oldMarker = oldSpool.resolve("revision-1.announced");
            Path recentMarker = root.resolve("spool").resolve(recent.studyInstanceUid())
                    .resolve("revision-1.announced");
            for (int i = 0; i < 100 && (Files.notExists(oldMarker) || Files.notExists(recentMarker)); i++) {
                Thread.sleep(50);
            }
            oldFile = oldSpool.resolve(first.series().get(0).seriesInstanceUid())
                    .resolve(first.series().get(0).sopInstanceUids().get(0) + ".dcm");
            long size = Files.size(oldFile);
            assertEquals(0, node.retention().retireExpired().studies(), "nothing is a day old yet");

            // two days pass for the first study only
            Files.setLastModifiedTime(oldMarker, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofDays(2))));
            assertEquals(new org.myoflow.dicom.study.SpoolRetention.Sweep(1, 1, size),
                    node.retention().retireExpired());
            assertFalse(Files.exists(oldFile), "the retired instance's file is gone");
            assertTrue(Files.exists(oldSpool.resolve("revision-1.json")) && Files.exists(oldMarker),
                    "its revision record stays");
            assertTrue(Files.exists(root.resolve(first.series().get(0).volumePath())), "its volume stays");
            assertEquals(1, spooled(root), "the recent study stays");
            assertEquals(size, registry.get("myoflow.dicom.spool.retired.bytes").counter().count());
            assertEquals(new org.myoflow.dicom.study.SpoolRetention.Sweep(0, 0, 0), node.retention().retireExpired(),
                    "a retired study is not swept again");

            // the scanner sends it again: stored, a second revision, announced
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), List.of(oldNm)));
            Map<String, StudyReceived> events = poll(Duration.ofSeconds(30), got ->
                    got.containsKey(old.studyInstanceUid()) && got.get(old.studyInstanceUid()).revision() == 2);
            assertEquals(2, events.get(old.studyInstanceUid()).revision(), "sent again after retention: revision 2");
            assertTrue(Files.exists(oldFile), "stored again");
            assertEquals(0, registry.get("myoflow.dicom.instances").tag("outcome", "duplicate").counter().count());

            // retired again, and the node restarts knowing nothing of the study but its revision records
            Path secondMarker = oldSpool.resolve("revision-2.announced");
            for (int i = 0; i < 100 && Files.notExists(secondMarker); i++) {
                Thread.sleep(50);
            }
            Files.setLastModifiedTime(secondMarker, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofDays(2))));
            assertEquals(1, node.retention().retireExpired().instances());
            assertFalse(Files.exists(oldFile));
        }
        try (DicomNode node = DicomNode.start(config(root, true).withSpoolRetention(Duration.ofDays(1)),
                new SimpleMeterRegistry())) {
            assertEquals(0, org.myoflow.infra.Storescu.push(node.port(), List.of(oldNm)));
            Map<String, StudyReceived> events = poll(Duration.ofSeconds(30), got ->
                    got.containsKey(old.studyInstanceUid()) && got.get(old.studyInstanceUid()).revision() == 3);
            assertEquals(3, events.get(old.studyInstanceUid()).revision(), "numbering goes on after a restart");
            assertTrue(Files.exists(oldFile));
        }

        // never announced (no Kafka here): kept whatever its age
        Path unannounced = root.resolve("spool").resolve(recent.studyInstanceUid());
        Files.delete(unannounced.resolve("revision-1.announced"));
        try (DicomNode node = DicomNode.start(config(root, false).withSpoolRetention(Duration.ofHours(1)),
                new SimpleMeterRegistry())) {
            assertEquals(0, node.retention().retireExpired().studies());
            assertEquals(2, spooled(root));
        }
    }

    /** A one-instance NM RECON TOMO study of a phantom (complete on arrival). */
    private static Path nmStudy(StudyIdentity id, Path file) throws Exception {
        NmReconTomoWriter.write(SpectPhantom.generate(id.studyInstanceUid(), id.studyInstanceUid().hashCode(),
                PhantomOptions.normal()).image(), id, 1, file);
        return file;
    }

    private static long spooled(Path root) throws Exception {
        return LiveFiles.find(root.resolve("spool"), 4, p -> p.toString().endsWith(".dcm")).size();
    }

    /** Reads the topic from the start until every listed study has its event (other tests' studies may be there). */
    private static Map<String, StudyReceived> consumeFor(List<String> studies, Duration timeout) {
        Map<String, StudyReceived> m = poll(timeout, got -> got.keySet().containsAll(studies));
        assertTrue(m.keySet().containsAll(studies), "no event for some of " + studies + " in " + m.keySet());
        return m;
    }

    private static Map<String, StudyReceived> poll(Duration timeout,
                                                   java.util.function.Predicate<Map<String, StudyReceived>> done) {
        Map<String, StudyReceived> byStudy = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.STUDY_RECEIVED));
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end && !done.test(byStudy)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    StudyReceived e = EventJson.fromBytes(r.value(), StudyReceived.class);
                    assertEquals(e.studyInstanceUid(), r.key(), "keyed by StudyInstanceUID");
                    StudyReceived before = byStudy.put(e.studyInstanceUid(), e);
                    assertTrue(before == null || before.revision() != e.revision(),
                            "a revision was announced twice: " + e.studyInstanceUid());
                }
            }
        }
        return byStudy;
    }
}
