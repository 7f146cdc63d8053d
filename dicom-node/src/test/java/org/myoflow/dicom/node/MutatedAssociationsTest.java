package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.Bytes;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.Part10;
import org.myoflow.dicom.scp.CommitmentScu;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.EnhancedMrWriter;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;

/**
 * Mutation fuzzing of the node's hand-written parts (the PDU and DIMSE data phase, the header scan, the data set
 * check, Storage Commitment) through real sockets. Real storescu associations (NM multi-frame and CT frames; an
 * enhanced MR, sequences within sequences) and a modality's Storage Commitment association are recorded byte for
 * byte through a proxy, then replayed to the node
 * hundreds of times with a few bytes changed, inserted, deleted or cut, length fields set to extremes. Whatever the
 * node makes of each, it must: answer or abort, never acknowledge an instance it has not stored whole (every SOP
 * Instance UID it answered with success or warning is in the spool and reads as DICOM, to PixelMed and to dcmtk's
 * dcmdump), give a reason for whatever it quarantined, free the association's slot, keep serving, and turn every
 * study revision it recorded into its conversion (volumes, or the reason a series is none), never a conversion
 * retried for ever. {@code -Dmyoflow.fuzz.iterations=N} runs longer (default 200 for each of the spool's two ways
 * in, seeded, so a failure replays).
 */
class MutatedAssociationsTest {
    private static final int ITERATIONS = Integer.getInteger("myoflow.fuzz.iterations", 200);
    private static final long SEED = Long.getLong("myoflow.fuzz.seed", 20261204L);
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

    @TempDir
    Path root;
    @TempDir
    Path scanner;
    private DicomNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /**
     * @param journalLimitKb the spool's two ways in: -1 the default (every instance here through the journal), 0
     *                       every instance streamed into a part file and fsynced
     */
    @ParameterizedTest(name = "journal limit {0} KB")
    @ValueSource(ints = {-1, 0})
    void mutatedAssociationsNeverGetAnAcknowledgementForWhatIsNotStoredAndNeverStopTheNode(int journalLimitKb)
            throws Exception {
        // two slots: an association whose slot is never given back shows at the next C-ECHO, not after hundreds
        DicomNodeConfig config = DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0)
                .withMaxAssociations(2).withIdleTimeout(Duration.ofSeconds(1))).withQuietPeriod(Duration.ofSeconds(1));
        node = DicomNode.start(journalLimitKb < 0 ? config : config.withJournalLimit(journalLimitKb),
                new SimpleMeterRegistry());
        Volume v = SpectPhantom.generate("f", 71, PhantomOptions.normal()).image();
        StudyIdentity id = StudyIdentity.forSeed(71);
        Path nm = scanner.resolve("nm.dcm");
        NmReconTomoWriter.write(v, id, 1, nm);
        List<Path> sent = new ArrayList<>(List.of(nm));
        sent.addAll(CtStackWriter.write(v, id, 2, 100, Files.createDirectories(scanner.resolve("ct"))).subList(0, 3));

        Recording store = storeRecording(sent);
        Replay clean = replay(store.bytes());
        assertEquals(sent.size(), clean.acknowledged().size(), "the recording replays as storescu sent it");
        // every fourth replay (the second of four) is an enhanced MR instead: one instance whose header is
        // sequences in sequences (a shared and a per-frame functional group for each of its frames)
        Path mr = scanner.resolve("mr.dcm");
        EnhancedMrWriter.write(v, id, 3, 100, mr);
        Recording enhanced = storeRecording(List.of(mr));
        Replay cleanMr = replay(enhanced.bytes());
        assertEquals(1, cleanMr.acknowledged().size(), "the enhanced MR replays as storescu sent it");

        List<String[]> refs = new ArrayList<>();
        for (Path f : sent) {
            AttributeList l = new AttributeList();
            l.read(f.toFile(), TagFromName.PixelData);
            refs.add(new String[] {Attrs.string(l, TagFromName.SOPClassUID), Part10.sopInstanceUid(f)});
        }
        // and every fourth (the last of four) is a modality's Storage Commitment association (N-ACTION listing the
        // instances, the N-EVENT-REPORT's answer, release), recorded the same way
        byte[] committing = record(port -> CommitmentScu.commit(port, "2.25.5001", refs));
        assertEquals("released", replay(committing).ending(), "the commitment replays as it was sent");
        List<Integer> commitmentUidEnds = new ArrayList<>();
        for (String[] ref : refs) {
            commitmentUidEnds.addAll(occurrenceEnds(committing, ref[1]));
        }
        assertEquals(refs.size(), commitmentUidEnds.size(), "each listed SOP Instance UID once");
        Recording commitment = new Recording(committing, pduStarts(committing), commitmentUidEnds);

        Random r = new Random(SEED);
        Map<String, Integer> outcomes = new HashMap<>();
        Set<String> acknowledged = new LinkedHashSet<>(clean.acknowledged());
        acknowledged.addAll(cleanMr.acknowledged());
        for (int i = 0; i < ITERATIONS; i++) {
            String what = "iteration " + i + " (seed " + SEED + ")";
            // new SOP, series and study UIDs for every replay (the last digits, the same in command and data set),
            // so that an acknowledgement is of a new instance, not of a duplicate the spool had already, and each
            // replay's instances become a study of their own
            Recording recording = switch (i % 4) {
                case 1 -> enhanced;
                case 3 -> commitment;
                default -> store;
            };
            byte[] renamed = recording.bytes().clone();
            byte[] digits = String.format("%05d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int end : recording.uidEnds()) {
                System.arraycopy(digits, 0, renamed, end - digits.length, digits.length);
            }
            byte[] mutated = mutate(renamed, recording.pdus(), r);
            Replay rep = replay(mutated);
            outcomes.merge(rep.ending(), 1, Integer::sum);
            acknowledged.addAll(rep.acknowledged());
            for (String sop : rep.acknowledged()) {
                assertStoredWhole(sop, what);
            }
            if (i % 10 == 9) {
                assertServing(what);
            }
        }
        assertServing("after all iterations");
        // and dcmtk, an independent reader, reads every acknowledged instance as the node stored it
        List<Path> stored = LiveFiles.find(root.resolve("spool"), 4, p -> p.toString().endsWith(".dcm"));
        assertEquals(acknowledged.size(), stored.size(), "the spool holds what was acknowledged, nothing more");
        for (int from = 0; from < stored.size(); from += 200) {
            List<String> cmd = new ArrayList<>(List.of("dcmdump", "-q"));
            stored.subList(from, Math.min(stored.size(), from + 200)).forEach(f -> cmd.add(f.toString()));
            if (DicomTools.run(cmd).exit() != 0) { // which one, and what dcmtk says about it
                for (String f : cmd.subList(2, cmd.size())) {
                    DicomTools.Run one = DicomTools.run(List.of("dcmdump", f));
                    assertEquals(0, one.exit(), "dcmdump reads every stored instance; not " + f + ":\n"
                            + one.output().lines().filter(l -> l.startsWith("E:") || l.startsWith("W:")).toList());
                }
            }
        }
        for (String reason : reasons()) {
            assertFalse(reason.isBlank(), "every quarantined input says why");
        }
        // the mutations reached past the association: some were refused inside it, some aborted, some went through
        assertTrue(outcomes.size() >= 3, outcomes.toString());
        DicomTools.Run push = DicomTools.storescu(node.port(), "SCANNER", sent);
        assertEquals(0, push.exit(), "a clean push after the fuzzing: " + push.output());
        // and what was stored became studies: every revision the node recorded is converted (volumes, or the reason
        // a series is none), none held in a conversion retried for ever
        Thread.sleep(1500); // the last quiet timer
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> unconverted = unconverted();
        while (!unconverted.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            unconverted = unconverted();
        }
        assertEquals(List.of(), unconverted, "revisions recorded but never converted");
        System.out.printf("fuzz: %d iterations, endings %s, %d distinct instances acknowledged, %d quarantined, "
                + "%d revisions converted%n", ITERATIONS, outcomes, acknowledged.size(), reasons().size(),
                LiveFiles.find(root.resolve("studies"), 3, p -> p.getFileName().toString()
                        .equals("study-received.json")).size());
    }

    @Test
    void anAssociationRequestTheToolkitCannotParseIsAnsweredWithAnAbortNotASilentClose() throws Exception {
        byte[] recording = record(List.of(startWithOneCtInstance(72)));
        assertEquals(0x01, recording[0], "an A-ASSOCIATE-RQ first");
        // its variable items after the fixed fields (PS3.8 9.3.2): the application context (0x10), then the first
        // presentation context (0x20), whose first sub-item (after the context id and three reserved bytes) is the
        // abstract syntax (0x30); make that an item type no standard defines
        int item = 6 + 68;
        assertEquals(0x10, recording[item]);
        item += 4 + (((recording[item + 2] & 0xff) << 8) | (recording[item + 3] & 0xff));
        assertEquals(0x20, recording[item]);
        assertEquals(0x30, recording[item + 8]);
        byte[] malformed = recording.clone();
        malformed[item + 8] = (byte) 0xff;

        Replay rep = replay(malformed);
        assertTrue(rep.ending().startsWith("aborted"), "the node's last word is an A-ABORT: " + rep.ending());
        assertEquals(List.of(), rep.acknowledged());
        assertServing("after the malformed request");
    }

    @Test
    void callingAeTitlesWithControlCharactersAreRejectedAndNulPaddingIsTolerated() throws Exception {
        Path ct = startWithOneCtInstance(73);
        byte[] recording = record(List.of(ct));
        int calling = 6 + 4 + 16; // PDU header, protocol version and reserved, called AE title
        assertEquals("SCANNER", new String(recording, calling, 7, java.nio.charset.StandardCharsets.US_ASCII));

        byte[] forged = recording.clone(); // a line break inside the title: it would split the node's log line
        forged[calling + 3] = '\n';
        Replay rep = replay(forged);
        assertEquals("rejected", rep.ending().replace("+reset", ""));
        assertEquals(List.of(1, 1, 3), List.of((int) rep.lastPdu()[1], (int) rep.lastPdu()[2], (int) rep.lastPdu()[3]),
                "A-ASSOCIATE-RJ permanent, by the service user, calling AE title not recognized");

        byte[] blank = recording.clone(); // 16 spaces: "no name", which PS3.8 forbids
        java.util.Arrays.fill(blank, calling, calling + 16, (byte) ' ');
        assertEquals("rejected", replay(blank).ending().replace("+reset", ""));

        byte[] nulPadded = recording.clone(); // an older device padding with NULs instead of spaces
        java.util.Arrays.fill(nulPadded, calling + 7, calling + 16, (byte) 0);
        Replay padded = replay(nulPadded);
        assertEquals("released", padded.ending(), "accepted, stored and released as storescu's own");
        assertEquals(List.of(Part10.sopInstanceUid(ct)), padded.acknowledged());
        assertServing("after the rejections");
    }

    /** Starts a node with the defaults and writes one simulated CT instance to send it. */
    private Path startWithOneCtInstance(long seed) throws Exception {
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofHours(1)), new SimpleMeterRegistry());
        return CtStackWriter.write(SpectPhantom.generate("f", seed, PhantomOptions.normal()).image(),
                StudyIdentity.forSeed(seed), 2, 100, scanner).get(0);
    }

    /** A recorded association, its PDUs' offsets, and where the UIDs that each replay renames end in it. */
    private record Recording(byte[] bytes, List<Integer> pdus, List<Integer> uidEnds) {
    }

    /**
     * storescu's association for {@code files}, with the ends of their SOP Instance UIDs (each in its command and
     * its data set) and of their study's and series' UIDs: renamed, a replay's instances are a study of their own.
     */
    private Recording storeRecording(List<Path> files) throws Exception {
        byte[] bytes = record(files);
        List<Integer> ends = new ArrayList<>();
        Set<String> studyAndSeries = new LinkedHashSet<>();
        for (Path f : files) {
            ends.addAll(occurrenceEnds(bytes, Part10.sopInstanceUid(f)));
            AttributeList l = new AttributeList();
            l.read(f.toFile(), TagFromName.PixelData);
            studyAndSeries.add(Attrs.string(l, TagFromName.StudyInstanceUID));
            studyAndSeries.add(Attrs.string(l, TagFromName.SeriesInstanceUID));
        }
        assertEquals(2 * files.size(), ends.size(), "each SOP Instance UID in its command and its data set");
        for (String uid : studyAndSeries) {
            ends.addAll(occurrenceEnds(bytes, uid));
        }
        List<Integer> pdus = pduStarts(bytes);
        assertTrue(pdus.size() >= 4, "association, command, data, release: " + pdus.size() + " PDUs");
        return new Recording(bytes, pdus, ends);
    }

    /** storescu's association, recorded from its side through a loopback proxy to the node. */
    private byte[] record(List<Path> files) throws Exception {
        return record(port -> {
            DicomTools.Run push = DicomTools.storescu(port, "SCANNER", files);
            assertEquals(0, push.exit(), push.output());
        });
    }

    /** A sender's side of an association, talking to the given port. */
    private interface Sender {
        void talkTo(int port) throws Exception;
    }

    /** What {@code sender} sends on its association, recorded from its side through a proxy to the node. */
    private byte[] record(Sender sender) throws Exception {
        ByteArrayOutputStream fromScu = new ByteArrayOutputStream();
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> relay = CompletableFuture.runAsync(() -> {
                try (Socket scu = proxy.accept(); Socket scp = new Socket("127.0.0.1", node.port())) {
                    CompletableFuture<Void> back = CompletableFuture.runAsync(() -> copy(scp, scu, null));
                    copy(scu, scp, fromScu);
                    back.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.talkTo(proxy.getLocalPort());
            relay.get(30, TimeUnit.SECONDS);
        }
        return fromScu.toByteArray();
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream tee) {
        byte[] buf = new byte[65536];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (tee != null) {
                    tee.write(buf, 0, n);
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed: the association is over
        }
    }

    /** Where each occurrence of {@code uid} ends in the stream. */
    private static List<Integer> occurrenceEnds(byte[] s, String uid) {
        byte[] u = uid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<Integer> ends = new ArrayList<>();
        for (int at = Bytes.indexOf(s, u, 0); at >= 0; at = Bytes.indexOf(s, u, at + 1)) {
            ends.add(at + u.length);
        }
        return ends;
    }

    /** Offsets of the PDUs in a recorded stream (type, reserved, 4-byte big endian length). */
    private static List<Integer> pduStarts(byte[] s) {
        List<Integer> starts = new ArrayList<>();
        for (int at = 0; at + 6 <= s.length; ) {
            starts.add(at);
            long len = ((s[at + 2] & 0xffL) << 24) | ((s[at + 3] & 0xff) << 16) | ((s[at + 4] & 0xff) << 8)
                    | (s[at + 5] & 0xff);
            at += 6 + (int) len;
        }
        return starts;
    }

    private static final long[] EXTREMES = {0, 1, 0xffffffffL, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0x10000};

    /** One to four mutations, mostly near a PDU's start, where the headers and the data set's elements begin. */
    private static byte[] mutate(byte[] s, List<Integer> pdus, Random r) {
        byte[] m = s.clone();
        int count = 1 + r.nextInt(4);
        for (int k = 0; k < count && m.length > 0; k++) { // cut off at 0: a sender that connects and hangs up
            int at = r.nextInt(5) == 0 ? r.nextInt(m.length)
                    : Math.min(m.length - 1, pdus.get(r.nextInt(pdus.size())) + r.nextInt(400));
            switch (r.nextInt(6)) {
                case 0 -> m[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> m[at] = (byte) r.nextInt(256);
                case 2 -> { // a 4-byte field to an extreme, big or little endian
                    long x = EXTREMES[r.nextInt(EXTREMES.length)];
                    boolean big = r.nextBoolean();
                    for (int b = 0; b < 4 && at + b < m.length; b++) {
                        m[at + b] = (byte) (big ? x >>> (24 - 8 * b) : x >>> (8 * b));
                    }
                }
                case 3 -> m = splice(m, at, 1 + r.nextInt(8), new byte[0]);
                case 4 -> {
                    byte[] junk = new byte[1 + r.nextInt(8)];
                    r.nextBytes(junk);
                    m = splice(m, at, 0, junk);
                }
                default -> m = java.util.Arrays.copyOf(m, at); // cut off: a sender that hangs up
            }
        }
        return m;
    }

    private static byte[] splice(byte[] s, int at, int remove, byte[] insert) {
        int rm = Math.min(remove, s.length - at);
        byte[] out = new byte[s.length - rm + insert.length];
        System.arraycopy(s, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(s, at + rm, out, at + insert.length, s.length - at - rm);
        return out;
    }

    /** What the node made of one replayed association: its C-STORE acknowledgements and how it ended. */
    private record Replay(List<String> acknowledged, String ending, byte[] lastPdu) {
    }

    /**
     * Sends the stream (then half-closes, as a sender that is done), and reads all the node says until it closes:
     * the SOP Instance UIDs of C-STORE responses with success or warning status, and the last PDU type.
     */
    private Replay replay(byte[] stream) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(20_000); // the node's idle timeout is 1 s: it must have ended long before
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(stream);
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the node aborted or closed while we were still sending
                }
            });
            List<String> acked = new ArrayList<>();
            String ending = "closed";
            byte[] last = new byte[0];
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteArrayOutputStream command = new ByteArrayOutputStream();
            try {
                while (true) {
                    int type = in.readUnsignedByte();
                    in.readUnsignedByte();
                    int len = in.readInt();
                    assertTrue(len >= 0 && len < (1 << 24), "a PDU of the node's with length " + len);
                    byte[] body = in.readNBytes(len);
                    last = body;
                    ending = switch (type) {
                        case 0x02 -> "associated";
                        case 0x03 -> "rejected";
                        case 0x04 -> "data";
                        case 0x06 -> "released";
                        case 0x07 -> "aborted";
                        default -> "pdu-" + type;
                    };
                    if (type == 0x04) {
                        collectAcknowledged(body, command, acked);
                    }
                }
            } catch (EOFException e) {
                // the node closed the connection: the association is over
            } catch (java.net.SocketException e) {
                // the node closed with some of our stream unread (after an abort, say): the kernel resets
                ending += "+reset";
            }
            send.get(20, TimeUnit.SECONDS);
            return new Replay(acked, ending, last);
        }
    }

    /** Reassembles command fragments from a P-DATA-TF body; a complete C-STORE-RSP with 0000 or Bxxx is an ack. */
    private static void collectAcknowledged(byte[] body, ByteArrayOutputStream command, List<String> acked)
            throws Exception {
        for (int at = 0; at + 6 <= body.length; ) {
            int len = ((body[at] & 0xff) << 24) | ((body[at + 1] & 0xff) << 16) | ((body[at + 2] & 0xff) << 8)
                    | (body[at + 3] & 0xff);
            int header = body[at + 5] & 0xff;
            if ((header & 1) == 1) {
                command.write(body, at + 6, len - 2);
                if ((header & 2) == 2) {
                    AttributeList c = new AttributeList();
                    c.read(new DicomInputStream(new ByteArrayInputStream(command.toByteArray()), IMPLICIT_LE,
                            false));
                    command.reset();
                    int field = Attrs.integer(c, TagFromName.CommandField, -1);
                    int status = Attrs.integer(c, TagFromName.Status, -1);
                    if (field == 0x8001 && (status == 0 || (status & 0xf000) == 0xb000)) {
                        acked.add(Attrs.string(c, TagFromName.AffectedSOPInstanceUID));
                    }
                }
            }
            at += 4 + len;
        }
    }

    /** Each {@code spool/<study>/revision-N.json} without its {@code studies/<study>/rN/study-received.json}. */
    private List<String> unconverted() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path revision : LiveFiles.find(root.resolve("spool"), 2, p -> p.getFileName().toString()
                .matches("revision-\\d+\\.json"))) {
            String n = revision.getFileName().toString().replaceAll("\\D", "");
            Path event = root.resolve("studies").resolve(revision.getParent().getFileName().toString())
                    .resolve("r" + n).resolve("study-received.json");
            if (Files.notExists(event)) {
                missing.add(revision.getParent().getFileName() + " r" + n);
            }
        }
        return missing;
    }

    private void assertStoredWhole(String sop, String what) throws Exception {
        List<Path> found = LiveFiles.find(root.resolve("spool"), 4, p -> p.getFileName().toString()
                .equals(sop + ".dcm"));
        assertEquals(1, found.size(), what + ": acknowledged " + sop + " must be in the spool");
        AttributeList l = new AttributeList();
        l.read(found.get(0).toFile()); // throws if what was acknowledged is not a whole DICOM file
        assertEquals(sop, Attrs.string(l, TagFromName.SOPInstanceUID), what);
    }

    private void assertServing(String what) throws Exception {
        DicomTools.Run echo = DicomTools.echoscu(node.port(), "SCANNER");
        assertEquals(0, echo.exit(), what + ": the node answers C-ECHO\n" + echo.output());
    }

    private List<String> reasons() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("quarantine"))) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.toString().endsWith(".reason.txt")).toList()) {
                out.add(Files.readString(p));
            }
            return out;
        }
    }
}
