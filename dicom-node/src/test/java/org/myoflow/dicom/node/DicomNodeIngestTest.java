package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.Part10;
import org.myoflow.dicom.VolumeAssertions;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.EnhancedMrWriter;
import org.myoflow.dicom.simulator.PetStackWriter;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.events.StudyReceived;

/**
 * The node as scanners meet it: dcmtk's storescu and echoscu against a running node on loopback; what is on disk
 * afterwards is checked file by file, and volumes against dcm2niix. (Kafka delivery is tested in infra, where the
 * embedded broker lives.)
 */
class DicomNodeIngestTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private DicomNode node;

    @TempDir
    Path root;
    @TempDir
    Path scanner;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private DicomNode start(ScpConfig scp) throws IOException {
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(scp).withQuietPeriod(Duration.ofMillis(1500)),
                registry);
        return node;
    }

    private static ScpConfig scp() {
        return ScpConfig.defaults().withPort(0);
    }

    private static Volume phantom(long seed) {
        return SpectPhantom.generate("p" + seed, seed, PhantomOptions.normal()).image();
    }

    @Test
    void nmPetCtAndEnhancedMrSeriesArriveOnDiskAsVolumesDcm2niixAgreesWith() throws Exception {
        start(scp());
        StudyIdentity id = StudyIdentity.forSeed(41);
        Volume v = phantom(41);
        Path nmDir = Files.createDirectories(scanner.resolve("NM"));
        Path ctDir = Files.createDirectories(scanner.resolve("CT"));
        Path ptDir = Files.createDirectories(scanner.resolve("PT"));
        Path mrDir = Files.createDirectories(scanner.resolve("MR"));
        NmReconTomoWriter.write(v, id, 1, nmDir.resolve("nm.dcm"));
        List<Path> all = new ArrayList<>(CtStackWriter.write(v, id, 2, 100, ctDir));
        all.addAll(PetStackWriter.write(v, id, 3, 100, ptDir));
        EnhancedMrWriter.write(v, id, 4, 100, mrDir.resolve("mr.dcm"));
        all.add(mrDir.resolve("mr.dcm"));
        all.add(nmDir.resolve("nm.dcm"));
        java.util.Collections.shuffle(all, new java.util.Random(4)); // arrival order must not matter

        DicomTools.Run push = DicomTools.storescu(node.port(), "SCANNER", all);
        assertEquals(0, push.exit(), push.output());

        StudyReceived event = awaitEvent(id.studyInstanceUid(), 1);
        assertEquals(all.size(), event.instanceCount());
        assertEquals(StudyReceived.Completion.QUIET_TIMER, event.completion(), "a CT stack without counts waits");
        assertEquals("SCANNER", event.callingAeTitle());
        assertEquals(id.patientId(), event.patientId());
        assertEquals(4, event.series().size());
        assertEquals(all.size(), spooledFiles().size(), "every acknowledged instance is in the spool");

        for (SeriesReceived s : event.series()) {
            assertNull(s.volumeError(), s.volumeError());
            Volume ours = Nifti.readVolume(root.resolve(s.volumePath()));
            Path in = scanner.resolve(s.modality());
            Volume theirs = Nifti.readVolume(DicomTools.dcm2niix(in,
                    Files.createDirectories(scanner.resolve("out-" + s.modality())), s.modality()));
            VolumeAssertions.assertSamePhysicalVoxels(ours, theirs, s.modality() + ": node vs dcm2niix");
            assertEquals(false, geometry(s).get("lossyImageCompression").asBoolean(), s.modality());
        }
        assertEquals(all.size(), registry.get("myoflow.dicom.instances").tag("outcome", "stored").counter().count());
    }

    /**
     * The data phase reads a data set from the socket into the spool's buffer in pieces: through the channel's own
     * buffer (small instances, the ends of values), straight into the receipt (long values), and, above the journal
     * limit, piece by piece into a part file after the head that stays for the header check. Whichever way, the
     * spool file holds the data set byte for byte as the scanner's file did.
     */
    @ParameterizedTest(name = "journal limit {0} bytes")
    @ValueSource(ints = {Spool.DEFAULT_JOURNAL_LIMIT, 100 * 1024, 0})
    void everyInstanceIsSpooledByteForByteWhateverPathItTakes(int journalLimit) throws Exception {
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(scp()).withQuietPeriod(Duration.ofSeconds(30))
                .withJournalLimit(journalLimit), registry);
        StudyIdentity id = StudyIdentity.forSeed(43);
        Volume v = phantom(43);
        List<Path> sent = new ArrayList<>(CtStackWriter.write(v, id, 2, 100,
                Files.createDirectories(scanner.resolve("CT")))); // 8 KB each
        NmReconTomoWriter.write(v, id, 1, scanner.resolve("nm.dcm")); // 458 KB of pixels, one instance
        EnhancedMrWriter.write(v, id, 4, 100, scanner.resolve("mr.dcm")); // per-frame groups: a long header
        sent.add(scanner.resolve("nm.dcm"));
        sent.add(scanner.resolve("mr.dcm"));
        for (Path f : sent) { // in the encoding storescu sends (explicit sequence lengths), to compare bytes
            DicomTools.Run conv = DicomTools.run(List.of("dcmconv", f.toString(), f.toString()));
            assertEquals(0, conv.exit(), conv.output());
        }

        DicomTools.Run push = DicomTools.storescu(node.port(), "SCANNER", sent);
        assertEquals(0, push.exit(), push.output());

        java.util.Map<String, Path> spooled = new java.util.HashMap<>();
        for (Path f : spooledFiles()) {
            spooled.put(Part10.sopInstanceUid(f), f);
        }
        assertEquals(sent.size(), spooled.size(), "every acknowledged instance is in the spool");
        for (Path f : sent) {
            Path ours = spooled.get(Part10.sopInstanceUid(f));
            assertNotNull(ours, f + " not spooled");
            assertEquals(Part10.transferSyntax(f), Part10.transferSyntax(ours), f.toString());
            assertArrayEquals(Part10.dataSet(f), Part10.dataSet(ours), f + ": the data set as sent");
        }
        assertEquals(sent.size(), registry.get("myoflow.dicom.instances").tag("outcome", "stored").counter().count());
    }

    @Test
    void aSeriesThatWasLossyCompressedIsSaidSoBesideItsVolume() throws Exception {
        start(scp());
        StudyIdentity id = StudyIdentity.forSeed(45);
        List<Path> ct = CtStackWriter.write(phantom(45), id, 2, 100, Files.createDirectories(scanner.resolve("CT")));
        for (Path f : ct) { // as a PACS forwards a series it once stored as JPEG, decompressed
            DicomTools.Run m = DicomTools.run(List.of("dcmodify", "-nb", "-i", "(0028,2110)=01", "-i",
                    "(0028,2112)=8", "-i", "(0028,2114)=ISO_10918_1", f.toString()));
            assertEquals(0, m.exit(), m.output());
        }
        assertEquals(0, DicomTools.storescu(node.port(), "SCANNER", ct).exit());
        StudyReceived event = awaitEvent(id.studyInstanceUid(), 1);
        assertEquals(true, geometry(event.series().get(0)).get("lossyImageCompression").asBoolean());
    }

    @Test
    void aSingleVolumeIsCompleteWhenTheAssociationEndsAndLaterInstancesMakeARevision() throws Exception {
        start(scp().withMaxAssociations(2));
        StudyIdentity id = StudyIdentity.forSeed(42);
        Path nm = scanner.resolve("nm.dcm");
        NmReconTomoWriter.write(phantom(42), id, 1, nm);

        long t0 = System.nanoTime();
        assertEquals(0, DicomTools.storescu(node.port(), "SCANNER", List.of(nm)).exit());
        StudyReceived first = awaitEvent(id.studyInstanceUid(), 1);
        assertEquals(StudyReceived.Completion.CERTAIN, first.completion());
        assertTrue(System.nanoTime() - t0 < 1_400_000_000L, "certain completion must not wait for the quiet timer");

        // the same instance again: accepted, recorded as a duplicate, no new revision
        assertEquals(0, DicomTools.storescu(node.port(), "SCANNER", List.of(nm)).exit());
        assertTrue(Files.readString(root.resolve("spool/duplicates.log")).contains(first.series().get(0)
                .sopInstanceUids().get(0)));
        assertEquals(1, registry.get("myoflow.dicom.instances").tag("outcome", "duplicate").counter().count());

        // a CT series of the same study after completion: revision 2 with only the new instances
        List<Path> ct = CtStackWriter.write(phantom(42), id, 2, 100, Files.createDirectories(scanner.resolve("ct")));
        assertEquals(0, DicomTools.storescu(node.port(), "SCANNER", ct).exit());
        StudyReceived second = awaitEvent(id.studyInstanceUid(), 2);
        assertEquals(ct.size(), second.instanceCount());
        assertEquals("CT", second.series().get(0).modality());
        // the CT slices are small: each went through the spool's journal, and no more syncs than instances
        double journaled = registry.get("myoflow.dicom.spool.journal.records").functionCounter().count();
        double syncs = registry.get("myoflow.dicom.spool.journal.syncs").functionCounter().count();
        assertTrue(journaled >= ct.size(), journaled + " journaled of " + ct.size());
        assertTrue(syncs >= 1 && syncs <= journaled, syncs + " syncs for " + journaled + " records");
        assertEquals(0, registry.get("myoflow.dicom.spool.journal.segments.pending").gauge().value());
        Thread.sleep(2000);
        assertTrue(Files.notExists(root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r3")), "no third revision");
    }

    @Test
    void refusedCallersGarbageAndUnknownClassesLeaveTheNodeServing() throws Exception {
        start(scp().withAllowedCallingAeTitles(Set.of("SCANNER"))
                .withSopClasses(Set.of("1.2.840.10008.5.1.4.1.1.20")));
        DicomTools.Run stranger = DicomTools.echoscu(node.port(), "STRANGER");
        assertNotEquals(0, stranger.exit());
        assertTrue(stranger.output().contains("Calling AE Title Not Recognized"), stranger.output());

        // garbage on the port: answered with an A-ABORT and closed
        try (Socket s = new Socket("127.0.0.1", node.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: myoflow\r\n\r\n".getBytes());
            out.flush();
            InputStream in = s.getInputStream();
            assertEquals(0x07, in.read(), "A-ABORT PDU");
        }

        // CT is not accepted by this node: storescu finds no presentation context, nothing is stored
        List<Path> ct = CtStackWriter.write(phantom(43), StudyIdentity.forSeed(43), 2, 100, scanner);
        DicomTools.Run refused = DicomTools.storescu(node.port(), "SCANNER", ct.subList(0, 1));
        assertNotEquals(0, refused.exit(), refused.output());
        assertEquals(0, spooledFiles().size());

        DicomTools.Run echo = DicomTools.echoscu(node.port(), "SCANNER");
        assertEquals(0, echo.exit(), echo.output());
        assertEquals(1, registry.get("myoflow.dicom.associations").tag("result", "rejected-calling-ae")
                .counter().count());
        assertEquals(1, registry.get("myoflow.dicom.associations").tag("result", "rejected-not-dicom")
                .counter().count());
    }

    private com.fasterxml.jackson.databind.JsonNode geometry(SeriesReceived s) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(root.resolve(s.geometryPath()).toFile());
    }

    private List<Path> spooledFiles() throws IOException {
        return LiveFiles.find(root.resolve("spool"), 4, p -> p.toString().endsWith(".dcm")
                && !p.toString().contains(".incoming"));
    }

    private StudyReceived awaitEvent(String study, int revision) throws Exception {
        Path f = root.resolve("studies").resolve(study).resolve("r" + revision).resolve("study-received.json");
        for (int i = 0; i < 200 && Files.notExists(f); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(f), "no study-received.json for revision " + revision);
        StudyReceived e = EventJson.fromBytes(Files.readAllBytes(f), StudyReceived.class);
        assertNotNull(e.series());
        return e;
    }
}
