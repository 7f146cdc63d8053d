package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Bytes;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.Part10;
import org.myoflow.dicom.RawStoreScu;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

/**
 * Bad input through real associations: each case gets a clear DICOM answer (or an abort), lands in quarantine with a
 * reason, leaves nothing half-written in the spool, and the node keeps serving.
 */
class DicomNodeRobustnessTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String RT_DOSE = "1.2.840.10008.5.1.4.1.1.481.2";

    @TempDir
    Path root;
    @TempDir
    Path scanner;
    private DicomNode node;
    private byte[] dataSet;
    private String sop;

    @BeforeEach
    void start() throws Exception {
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(30)), new SimpleMeterRegistry());
        List<Path> ct = CtStackWriter.write(SpectPhantom.generate("r", 61, PhantomOptions.normal()).image(),
                StudyIdentity.forSeed(61), 2, 100, scanner);
        dataSet = Part10.dataSet(ct.get(0));
        sop = Part10.sopInstanceUid(ct.get(0));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void truncatedDataSetIsRefusedAndQuarantinedWithItsReason() throws Exception {
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            int status = scu.store(CT, sop, Arrays.copyOf(dataSet, dataSet.length - 1000));
            assertEquals(0xC000, status, "cannot understand");
            assertEquals(0, scu.store(CT, sop, dataSet), "the whole instance afterwards, same association");
        }
        assertTrue(reasons().stream().anyMatch(r -> r.contains("truncated data set")), reasons().toString());
        assertEquals(1, spooled());
        assertServing();
    }

    @Test
    void anElementWithAVrPs35DoesNotDefineIsRefusedNotStoredAsOneReaderSeesIt() throws Exception {
        // (0008,0050) Accession Number, explicit VR SH, made 'SI': PixelMed would read it with a short length and
        // "compensate", dcmtk with a long one (and then finds the data set truncated)
        byte[] accession = {0x08, 0x00, 0x50, 0x00, 'S', 'H'};
        int at = Bytes.indexOf(dataSet, accession);
        assertTrue(at > 0, "the simulator writes an Accession Number");
        byte[] odd = dataSet.clone();
        odd[at + 5] = 'I';
        // and a VR that is not letters at all, as the fuzzer found (there in Series Date): Study Date's 'DA' made
        // 'D' NUL. PixelMed reads on, dcmtk takes it for a VR with a 2-byte length and loses its way after it
        int studyDate = Bytes.indexOf(dataSet, new byte[] {0x08, 0x00, 0x20, 0x00, 'D', 'A'});
        assertTrue(studyDate > 0, "the simulator writes a Study Date");
        byte[] notLetters = dataSet.clone();
        notLetters[studyDate + 5] = 0;
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            assertEquals(0xC000, scu.store(CT, sop, odd), "cannot understand");
            assertEquals(0xC000, scu.store(CT, sop, notLetters), "cannot understand");
            assertEquals(0, scu.store(CT, sop, dataSet), "the instance as it should be, same association");
        }
        assertTrue(reasons().stream().anyMatch(r -> r.contains("(0008,0050) has VR 'SI'")), reasons().toString());
        assertTrue(reasons().stream().anyMatch(r -> r.contains("(0008,0020) has VR bytes 44 00")),
                reasons().toString());
        assertEquals(1, spooled());
        assertServing();
    }

    @Test
    void quarantineLeavesWithTheRetentionAndTheDuplicatesLogIsRotated() throws Exception {
        node.close();
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(30)).withSpoolRetention(Duration.ofDays(1)),
                new SimpleMeterRegistry());
        Path quarantine = root.resolve("quarantine");
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            assertEquals(0xC000, scu.store(CT, sop, Arrays.copyOf(dataSet, dataSet.length - 1000)));
        }
        java.nio.file.attribute.FileTime twoDaysAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofDays(2)));
        try (Stream<Path> old = Files.list(quarantine)) {
            for (Path f : old.toList()) {
                Files.setLastModifiedTime(f, twoDaysAgo); // quarantined two days ago
            }
        }
        Thread.sleep(5); // a distinct name for the next one
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            assertEquals(0xC000, scu.store(CT, sop, Arrays.copyOf(dataSet, dataSet.length - 500)));
        }
        assertEquals(2, reasons().size());
        assertEquals(1, node.retention().pruneQuarantine(), "the one older than the retention");
        assertEquals(1, reasons().size());
        assertTrue(reasons().get(0).contains("needs"), reasons().toString());
        try (Stream<Path> left = Files.list(quarantine)) {
            assertEquals(2, left.count(), "the recent file and its reason");
        }

        Path log = root.resolve("spool").resolve("duplicates.log");
        try (java.io.RandomAccessFile full = new java.io.RandomAccessFile(log.toFile(), "rw")) {
            full.setLength(org.myoflow.dicom.spool.Spool.DUPLICATES_LOG_LIMIT + 1);
        }
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            assertEquals(0, scu.store(CT, sop, dataSet));
            assertEquals(0, scu.store(CT, sop, dataSet), "a duplicate: success, logged");
        }
        assertEquals(org.myoflow.dicom.spool.Spool.DUPLICATES_LOG_LIMIT + 1,
                Files.size(root.resolve("spool").resolve("duplicates.log.1")), "the full log, rotated whole");
        assertEquals(1, Files.readAllLines(log).size());
        assertTrue(Files.readString(log).contains("duplicate of " + sop + ".dcm"), Files.readString(log));
        assertServing();
    }

    @Test
    void dataSetThatContradictsItsRequestIsRefused() throws Exception {
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            assertEquals(0xA900, scu.store(CT, "1.2.3.4.5", dataSet));
        }
        assertTrue(reasons().stream().anyMatch(r -> r.contains("differs from the C-STORE request")));
        assertEquals(0, spooled());
        assertServing();
    }

    @Test
    void unknownSopClassIsNotNegotiatedAndGarbageDataIsRefused() throws Exception {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> new RawStoreScu(node.port(), RT_DOSE).store(RT_DOSE, sop, dataSet));
        assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            byte[] garbage = new byte[4000];
            new java.util.Random(3).nextBytes(garbage);
            assertEquals(0xC000, scu.store(CT, sop, garbage));
        }
        assertEquals(0, spooled());
        assertServing();
    }

    @Test
    void aMalformedCommandIsAnsweredWithAnAbortAndTheNodeKeepsServing() throws Exception {
        byte[] commandFieldOfFourBytes = {0, 0, 0, 1, 4, 0, 0, 0, 1, 0, 0, 0};
        RawStoreScu scu = new RawStoreScu(node.port(), CT);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> scu.sendCommand(commandFieldOfFourBytes));
        // an A-ABORT PDU from the node (source: service provider), not just a closed connection
        assertTrue(String.valueOf(e.getMessage()).contains("A-ABORT indication - by DICOM UL Service Provider"),
                e.toString());
        assertEquals(0, spooled());
        assertServing();
    }

    @Test
    void aTransferCutOffByAnAbortIsQuarantinedNeverAcknowledged() throws Exception {
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            scu.storePartThenAbort(CT, sop, dataSet, dataSet.length / 2);
        } catch (Exception expectedAfterAbort) {
            // release after abort fails: the association is gone
        }
        for (int i = 0; i < 50 && reasons().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertTrue(reasons().stream().anyMatch(r -> r.contains("aborted by the sender")), reasons().toString());
        assertEquals(0, spooled());
        assertServing();
    }

    @Test
    void aSenderThatFallsSilentMidInstanceIsCutOffAfterTheIdleTimeoutAndFreesItsSlot() throws Exception {
        restartWithOneSlotAndAnIdleTimeoutOfTwoSeconds();
        RawStoreScu hung = new RawStoreScu(node.port(), CT);
        hung.storePart(CT, sop, dataSet, dataSet.length / 2);
        assertTrue(DicomTools.echoscu(node.port(), "SCANNER").exit() != 0, "the only slot is held");
        for (int i = 0; i < 100 && reasons().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertTrue(reasons().stream().anyMatch(r -> r.contains("idle timeout")), reasons().toString());
        assertEquals(0, spooled(), "never acknowledged, never spooled");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, hung::close);
        assertTrue(String.valueOf(e.getMessage()).contains("A-ABORT indication - by DICOM UL Service Provider"),
                "the node aborted the silent association: " + e);
        assertServing(); // the slot is free again
    }

    @Test
    void aSenderThatFallsSilentBetweenInstancesIsAbortedAfterTheIdleTimeoutKeepingWhatItSent() throws Exception {
        restartWithOneSlotAndAnIdleTimeoutOfTwoSeconds();
        RawStoreScu quiet = new RawStoreScu(node.port(), CT);
        assertEquals(0, quiet.store(CT, sop, dataSet), "stored");
        long start = System.nanoTime();
        DicomTools.Run limited = DicomTools.echoscu(node.port(), "SCANNER");
        assertTrue(limited.exit() != 0, "the only slot is held");
        assertTrue(limited.output().contains("Local Limit Exceeded"), limited.output());
        boolean freed = false;
        for (int i = 0; i < 100 && !freed; i++) {
            Thread.sleep(100);
            freed = DicomTools.echoscu(node.port(), "SCANNER").exit() == 0;
        }
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(freed, "the slot is free again after the idle timeout");
        assertTrue(waited >= 1500, "not before the idle timeout: " + waited + " ms");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, quiet::close);
        assertTrue(String.valueOf(e.getMessage()).contains("A-ABORT indication - by DICOM UL Service Provider"),
                "the node aborted the silent association: " + e);
        assertEquals(1, spooled(), "what was answered stays");
        assertEquals(List.of(), reasons(), "nothing half-received to quarantine");
    }

    @Test
    void connectionsThatHaveNotSentTheirWholeRequestHoldNoSlotAndAreClosedByTheRequestTimer() throws Exception {
        node.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0)
                .withMaxAssociations(1).withIdleTimeout(Duration.ofSeconds(60))
                .withRequestTimeout(Duration.ofSeconds(3))).withQuietPeriod(Duration.ofSeconds(30)), registry);
        try (Socket silent = new Socket("127.0.0.1", node.port());
             Socket trickling = new Socket("127.0.0.1", node.port())) {
            long start = System.nanoTime();
            OutputStream t = trickling.getOutputStream();
            t.write(new byte[] {0x01, 0, 0, 0, 0, (byte) 200}); // an A-ASSOCIATE-RQ's header, its body to follow
            t.flush();
            Thread.sleep(300); // both are being served by now
            assertServing(); // neither holds the only slot

            // the trickler sends a byte every 100 ms, far inside the idle timeout, and is still cut off
            trickling.setSoTimeout(100);
            boolean closed = false;
            while (!closed && System.nanoTime() - start < 10_000_000_000L) {
                try {
                    t.write(0x20);
                    t.flush();
                    closed = trickling.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException e) {
                    // still open
                } catch (java.io.IOException e) {
                    closed = true; // reset: the node closed it while we wrote
                }
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closed, "the trickling connection is closed by the request timer");
            assertTrue(waited >= 2500 && waited < 8000, "after the request timeout of 3 s: " + waited + " ms");
            silent.setSoTimeout(2000);
            assertEquals(-1, silent.getInputStream().read(), "the silent connection is closed too");
        }
        assertEquals(2, registry.get("myoflow.dicom.associations").tag("result", "rejected-request-timeout")
                .counter().count());
        assertServing();
    }

    @Test
    void aFloodOfSilentConnectionsIsBoundedByThePendingLimitAndTheNodeServesOnceTheyAreTimedOut() throws Exception {
        node.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0)
                .withMaxAssociations(2).withMaxPendingConnections(4).withRequestTimeout(Duration.ofSeconds(3)))
                .withQuietPeriod(Duration.ofSeconds(30)), registry);
        long threadsBefore = associationThreads();
        List<Socket> flood = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                flood.add(new Socket("127.0.0.1", node.port())); // connects (the kernel's backlog), then says nothing
            }
            Thread.sleep(500); // the acceptor has taken them all by now
            int turnedAway = 0;
            long start = System.nanoTime();
            for (Socket s : flood) {
                s.setSoTimeout(50);
                try {
                    if (s.getInputStream().read() == -1) {
                        turnedAway++;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still pending: it has a thread and waits for its request
                } catch (java.io.IOException e) {
                    turnedAway++; // reset by the node
                }
            }
            long checked = (System.nanoTime() - start) / 1_000_000;
            assertTrue(checked < 2500, "checked before the request timer could close any: " + checked + " ms");
            assertEquals(46, turnedAway, "all but the 4 pending ones are closed at once");
            assertTrue(associationThreads() - threadsBefore <= 4,
                    "a thread per pending connection only: " + (associationThreads() - threadsBefore));
            assertEquals(46, registry.get("myoflow.dicom.associations").tag("result", "rejected-pending-limit")
                    .counter().count());
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        // closed by their senders (or the request timer): their permits are back, and the node serves again
        boolean served = false;
        for (int i = 0; i < 50 && !served; i++) {
            served = DicomTools.echoscu(node.port(), "SCANNER").exit() == 0;
            if (!served) {
                Thread.sleep(100);
            }
        }
        assertTrue(served, "the node serves once the flood has gone");
        assertServing();
        assertServing(); // and its permits come back after each association
    }

    private static long associationThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("dicom-association") && t.isAlive()).count();
    }

    @Test
    void aSenderThatReadsNoAnswersIsCutOffAfterTheIdleTimeoutAndFreesItsSlot() throws Exception {
        restartWithOneSlotAndAnIdleTimeoutOfTwoSeconds();
        RawStoreScu deaf = new RawStoreScu(node.port(), CT);
        java.util.concurrent.CompletableFuture<Integer> sent = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> deaf.storeWithoutReading(CT, sop, dataSet, 100_000));
        boolean freed = false;
        for (int i = 0; i < 150 && !freed; i++) {
            Thread.sleep(100);
            freed = DicomTools.echoscu(node.port(), "SCANNER").exit() == 0;
        }
        assertTrue(freed, "the slot is free again: the node stopped waiting to write answers nobody reads");
        int count = sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(count < 100_000, "the sender's sends failed once the node closed the connection: " + count);
        assertEquals(1, spooled(), "stored once, the rest recorded as duplicates");
        assertEquals(List.of(), reasons(), "nothing half-received to quarantine");
    }

    @Test
    void aStopWaitsForARunningAssociationOnlyUpToItsDrainLimitThenAbortsItKeepingWhatWasAnswered() throws Exception {
        node.close();
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0)
                .withIdleTimeout(Duration.ofSeconds(60)).withStopDrain(Duration.ofSeconds(1)))
                .withQuietPeriod(Duration.ofSeconds(30)), new SimpleMeterRegistry());
        List<Path> ct = CtStackWriter.write(SpectPhantom.generate("d", 62, PhantomOptions.normal()).image(),
                StudyIdentity.forSeed(62), 2, 100, Files.createDirectories(scanner.resolve("second")));
        byte[] answered = Part10.dataSet(ct.get(0));
        RawStoreScu sender = new RawStoreScu(node.port(), CT);
        assertEquals(0, sender.store(CT, Part10.sopInstanceUid(ct.get(0)), answered));
        sender.storePart(CT, sop, dataSet, dataSet.length / 2); // then silent, well inside its idle timeout

        long start = System.nanoTime();
        node.close();
        long stopMillis = (System.nanoTime() - start) / 1_000_000;
        // before the drain limit, a stop waited for the idle timeout + 5 s (65 s here)
        assertTrue(stopMillis < 30_000, "stop took " + stopMillis + " ms");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, sender::close);
        assertTrue(String.valueOf(e.getMessage()).contains("A-ABORT indication - by DICOM UL Service Provider"),
                "the node aborted the association it stopped: " + e);
        assertTrue(reasons().stream().anyMatch(r -> r.contains("node is stopping and its drain limit of 1.0 s")),
                reasons().toString());
        assertEquals(1, spooled(), "the answered instance is in the spool, the half-sent one is not");

        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(30)), new SimpleMeterRegistry());
        assertEquals(1, node.spool().size(), "the restarted node finds it");
        assertServing();
    }

    @Test
    void anInstanceTheSpoolCannotPlaceIsAnsweredOutOfResourcesAndQuarantinedWithItsReason() throws Exception {
        node.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // journal limit 0: the instance is streamed to a part file and renamed into its study's directory
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(30)).withJournalLimit(0), registry);
        Path blocker = root.resolve("spool").resolve(StudyIdentity.forSeed(61).studyInstanceUid());
        Files.writeString(blocker, "a file where the study's directory must go");
        try (RawStoreScu scu = new RawStoreScu(node.port(), CT)) {
            assertEquals(0xA700, scu.store(CT, sop, dataSet), "out of resources");
            Files.delete(blocker);
            assertEquals(0, scu.store(CT, sop, dataSet), "the sender's retry is stored");
        }
        assertTrue(reasons().stream().anyMatch(r -> r.contains("spool write failed")), reasons().toString());
        assertEquals(1, registry.get("myoflow.dicom.instances").tag("outcome", "quarantined").counter().count());
        assertEquals(0, registry.get("myoflow.dicom.instances").tag("outcome", "failed").counter().count());
        assertEquals(1, registry.get("myoflow.dicom.instances").tag("outcome", "stored").counter().count());
        assertEquals(1, spooled());
        assertServing();
    }

    private void assertServing() throws Exception {
        DicomTools.Run echo = DicomTools.echoscu(node.port(), "SCANNER");
        assertEquals(0, echo.exit(), echo.output());
    }

    private void restartWithOneSlotAndAnIdleTimeoutOfTwoSeconds() throws Exception {
        node.close();
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0)
                .withMaxAssociations(1).withIdleTimeout(Duration.ofSeconds(2)))
                .withQuietPeriod(Duration.ofSeconds(30)), new SimpleMeterRegistry());
    }

    private long spooled() throws Exception {
        return LiveFiles.find(root.resolve("spool"), 4, p -> p.toString().endsWith(".dcm")).size();
    }

    private List<String> reasons() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("quarantine"))) {
            return s.filter(p -> p.toString().endsWith(".reason.txt")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
