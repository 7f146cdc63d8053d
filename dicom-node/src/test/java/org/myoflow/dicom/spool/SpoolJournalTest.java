package org.myoflow.dicom.spool;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spool's write-ahead journal: what the node acknowledged comes back after a crash even when none of its spool
 * files reached the disk; a torn last record (never acknowledged) is ignored; segments rotate and are recycled; an
 * instance above the journal limit (capped at half a segment) takes the part-file path, one within it is journaled
 * however many associations are receiving. A "crash" here is a spool that is never closed, its journaled spool files
 * deleted (the page cache lost), then opened again on the same root.
 */
class SpoolJournalTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1234.1";
    private static final String SERIES = "1.2.826.0.1.3680043.10.1234.1.1";

    @TempDir
    Path root;

    @Test
    void acknowledgedInstancesComeBackFromTheJournalAfterACrash() throws Exception {
        Map<String, byte[]> stored = new HashMap<>();
        Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024);
        for (int i = 1; i <= 20; i++) {
            StoreOutcome o = store(spool, i, 4096);
            Path file = assertInstanceOf(StoreOutcome.Stored.class, o).instance().file();
            stored.put(sop(i), Files.readAllBytes(file));
        }
        // crash: no close (no checkpoint), and the spool files never reached the disk
        spool.halt();
        for (Path f : spoolFiles()) {
            Files.delete(f);
        }
        assertEquals(0, spoolFiles().size());

        try (Spool reopened = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024)) {
            assertEquals(20, reopened.size());
            List<SpooledInstance> found = reopened.takeSpooledAtStart();
            assertEquals(20, found.size());
            for (SpooledInstance i : found) {
                assertArrayEquals(stored.get(i.sopInstanceUid()), Files.readAllBytes(i.file()), i.sopInstanceUid());
            }
        }
    }

    @Test
    void concurrentAssociationsAllGetTheirAnswerAndAllComeBackAfterACrash() throws Exception {
        // eight associations at once: one leads each sync, the others wait for it; none may be left waiting
        Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024);
        java.util.concurrent.ExecutorService associations = java.util.concurrent.Executors.newFixedThreadPool(8);
        Map<String, byte[]> stored = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int a = 0; a < 8; a++) {
                int first = a * 1000;
                done.add(associations.submit(() -> {
                    for (int i = 1; i <= 40; i++) {
                        StoreOutcome o = store(spool, first + i, 2048);
                        Path file = assertInstanceOf(StoreOutcome.Stored.class, o).instance().file();
                        stored.put(sop(first + i), Files.readAllBytes(file));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            associations.shutdownNow();
        }
        assertEquals(320, spool.journalRecords());
        assertTrue(spool.journalSyncs() >= 1 && spool.journalSyncs() <= 320, "syncs " + spool.journalSyncs());
        spool.halt();
        for (Path f : spoolFiles()) {
            Files.delete(f);
        }
        try (Spool reopened = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024)) {
            assertEquals(320, reopened.size());
            for (SpooledInstance i : reopened.takeSpooledAtStart()) {
                assertArrayEquals(stored.get(i.sopInstanceUid()), Files.readAllBytes(i.file()), i.sopInstanceUid());
            }
        }
    }

    @Test
    void aTornLastRecordIsIgnoredAndTheOnesBeforeItReplayed() throws Exception {
        Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024);
        for (int i = 1; i <= 3; i++) {
            assertInstanceOf(StoreOutcome.Stored.class, store(spool, i, 2048));
        }
        Path segment = activeSegment();
        long end = endOfRecords(segment);
        // the start of a fourth record whose data never arrived: a valid header, then zeros
        byte[] torn = new byte[SpoolJournal.HEADER];
        ByteBuffer h = ByteBuffer.wrap(torn).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x4D594A31).putLong(Long.parseLong(segment.getFileName().toString().replace(".wal", "")))
                .putInt(10).putInt(5000).putInt(12345);
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(torn), end);
        }
        spool.halt();
        for (Path f : spoolFiles()) {
            Files.delete(f);
        }
        try (Spool reopened = new Spool(root)) {
            assertEquals(3, reopened.size());
            assertEquals(3, spoolFiles().size());
        }
        assertEquals(0, segments().size(), "replayed segments become spares");
    }

    /**
     * Retention deletes spool files only after the journal's checkpoint: a crash afterwards has nothing to replay, so
     * a deleted file stays deleted (without the checkpoint, the first test shows the replay writing them again).
     */
    @Test
    void afterACheckpointOfEverythingACrashReplaysNoneOfIt() throws Exception {
        Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024);
        for (int i = 1; i <= 5; i++) {
            assertInstanceOf(StoreOutcome.Stored.class, store(spool, i, 4096));
        }
        assertTrue(spool.checkpointJournal(Duration.ofSeconds(30)));
        for (Path f : spoolFiles()) {
            Files.delete(f); // retired
        }
        spool.halt(); // crash
        try (Spool reopened = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024)) {
            assertEquals(0, reopened.size());
            assertEquals(0, spoolFiles().size());
        }
    }

    @Test
    void recordsStartOnPageBoundariesAndFillWholePages() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        try (SpoolJournal journal = new SpoolJournal(spoolDir, 1024 * 1024, true, Duration.ofHours(1))) {
            for (int n = 1; n <= 5; n++) {
                journaled(journal, spoolDir, n, 9000); // with its header, two pages and a part of a third
            }
            Path segment = activeSegment();
            assertEquals(5 * 3 * SpoolJournal.PAGE, endOfRecords(segment), "five records of three pages each");
            ByteBuffer last = ByteBuffer.allocate(SpoolJournal.PAGE);
            try (FileChannel c = FileChannel.open(segment, StandardOpenOption.READ)) {
                c.read(last, 2 * SpoolJournal.PAGE); // the first record's third page
            }
            int end = SpoolJournal.HEADER + "study/series/1.dcm".length() + 9000 - 2 * SpoolJournal.PAGE;
            assertEquals(1, last.get(end - 1), "the record's last data byte");
            for (int i = end; i < SpoolJournal.PAGE; i++) {
                assertEquals(0, last.get(i), "padding byte " + i);
            }
        }
    }

    @Test
    void aSegmentWrittenBeforeRecordsWereAlignedIsReplayed() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        Path dir = Files.createDirectories(spoolDir.resolve(".journal"));
        long number = 1_700_000_000_000L;
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        Map<String, byte[]> records = new HashMap<>();
        for (int n = 1; n <= 3; n++) { // back to back, as the journal wrote them before
            byte[] data = new byte[5000 + n];
            java.util.Arrays.fill(data, (byte) n);
            String rel = "study/series/" + n + ".dcm";
            records.put(rel, data);
            byte[] path = rel.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(path);
            crc.update(data);
            ByteBuffer h = ByteBuffer.allocate(SpoolJournal.HEADER).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            h.putInt(0x4D594A31).putLong(number).putInt(path.length).putInt(data.length).putInt((int) crc.getValue());
            segment.write(h.array());
            segment.write(path);
            segment.write(data);
        }
        segment.write(new byte[64 * 1024]);
        Files.write(dir.resolve(number + ".wal"), segment.toByteArray());

        assertEquals(3, SpoolJournal.replay(spoolDir));
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(spoolDir.resolve(e.getKey())), e.getKey());
        }
    }

    @Test
    void segmentsRotateAndACleanStopLeavesNothingToReplay() throws Exception {
        try (Spool spool = new Spool(root, true, 32 * 1024, 64 * 1024)) {
            for (int i = 1; i <= 40; i++) { // ~10 KB each: a new segment every 6 instances
                assertInstanceOf(StoreOutcome.Stored.class, store(spool, i, 9000));
            }
            assertEquals(40, spoolFiles().size());
        }
        assertEquals(0, segments().size());
        try (Spool reopened = new Spool(root, true, 32 * 1024, 64 * 1024)) {
            assertEquals(40, reopened.size());
            assertInstanceOf(StoreOutcome.Duplicate.class, store(reopened, 7, 9000));
        }
    }

    @Test
    void whileInstancesArriveAtMostThreeFullSegmentsWaitForTheirCheckpoint() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        // never quiet: only the limit on waiting segments lets a checkpoint through
        try (SpoolJournal journal = new SpoolJournal(spoolDir, 64 * 1024, true, Duration.ofHours(1))) {
            int n = 0;
            for (; n < 22; n++) { // 7 records of ~9 KB fill a segment: the 8th, 15th and 22nd rotate
                journaled(journal, spoolDir, n, 9000);
            }
            Thread.sleep(500);
            assertEquals(3, journal.segmentsAwaitingCheckpoint(), "three full segments wait, none checkpointed");
            assertEquals(4, segments().size(), "three waiting and the active one");
            for (; n < 29; n++) { // a fourth rotation: the oldest is checkpointed now
                journaled(journal, spoolDir, n, 9000);
            }
            awaitUntil(() -> journal.segmentsAwaitingCheckpoint() == 3,
                    "the oldest of four waiting segments checkpointed");
            assertEquals(4, segments().size(), "three waiting and the active one");
        }
        assertEquals(0, segments().size(), "a clean stop checkpoints the rest");
    }

    @Test
    void aFullSegmentIsCheckpointedOnceNothingHasArrivedForAMoment() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        try (SpoolJournal journal = new SpoolJournal(spoolDir, 256 * 1024, true, Duration.ofSeconds(1))) {
            int n = 0;
            for (; n < 24; n++) { // 12 KB records: 21 fill a segment
                journaled(journal, spoolDir, n, 9000);
            }
            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until) { // a page every 50 ms: never a second's quiet, and room in the segment
                journaled(journal, spoolDir, n++, 100);
                assertEquals(1, journal.segmentsAwaitingCheckpoint(), "no checkpoint while instances arrive");
                Thread.sleep(50);
            }
            awaitUntil(() -> journal.segmentsAwaitingCheckpoint() == 0, "checkpointed after a quiet second");
            assertEquals(1, segments().size(), "only the active segment is left");
        }
    }

    @Test
    void anInstanceArrivingWhileTheJournalClosesIsRefusedNotAcknowledged() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        SpoolJournal journal = new SpoolJournal(spoolDir, 64 * 1024, true, Duration.ofHours(1));
        byte[] data = new byte[3000];
        SpoolJournal.Entry first = journal.append("study/series/1.dcm", data, data.length);
        journal.commit(first);
        // its spool file is not written yet, so the closing checkpoint of the segment waits for it
        Thread closing = new Thread(() -> {
            try {
                journal.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closing.start();
        awaitUntil(() -> closing.getState() == Thread.State.TIMED_WAITING, "close() waiting for its checkpoint");
        // appended now, it would be acknowledged and then recycled with the segment, its spool file never synced
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> journal.append("study/series/2.dcm", data, data.length));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        Files.createDirectories(spoolDir.resolve("study/series"));
        Files.write(spoolDir.resolve("study/series/1.dcm"), data);
        journal.fileWritten(first);
        closing.join(30_000);
        assertEquals(Thread.State.TERMINATED, closing.getState());
        assertEquals(0, segments().size(), "the clean stop checkpointed the segment");
    }

    @Test
    void anInstanceWhoseSpoolFileCannotBeWrittenAfterTheAnswerComesBackFromTheJournal() throws Exception {
        Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024);
        byte[] data = dataset(1, 4096);
        Spool.Receipt r = spool.begin(CT, sop(1), TransferSyntax.ExplicitVRLittleEndian, "SCANNER", "test");
        r.write(data, 0, data.length);
        Path target = assertInstanceOf(StoreOutcome.Stored.class, r.makeDurable()).instance().file();
        Files.createDirectories(target); // a directory where the file should go: the write after the answer fails
        assertEquals(false, r.placeFile());
        Files.delete(target);
        spool.halt(); // crash before any restart could rewrite it
        try (Spool reopened = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024)) {
            assertEquals(1, reopened.size());
            byte[] onDisk = Files.readAllBytes(target);
            assertArrayEquals(data, java.util.Arrays.copyOfRange(onDisk, onDisk.length - data.length, onDisk.length));
        }
    }

    @Test
    void aReceiptKeepsItsBufferUntilItsSpoolFileIsWrittenWhileOthersReceive() throws Exception {
        // the spool's buffers go from receipt to receipt: one answered but not yet placed still holds its own
        try (Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024)) {
            byte[] first = dataset(1, 8192);
            Spool.Receipt answered = spool.begin(CT, sop(1), TransferSyntax.ExplicitVRLittleEndian, "SCANNER", "a");
            answered.write(first, 0, first.length);
            Path target = assertInstanceOf(StoreOutcome.Stored.class, answered.makeDurable()).instance().file();
            byte[] second = dataset(2, 8192);
            java.util.Arrays.fill(second, second.length - 8192, second.length, (byte) 0x5A);
            Spool.Receipt next = spool.begin(CT, sop(2), TransferSyntax.ExplicitVRLittleEndian, "SCANNER", "b");
            next.write(second, 0, second.length);
            assertTrue(answered.placeFile());
            byte[] onDisk = Files.readAllBytes(target);
            assertArrayEquals(first, java.util.Arrays.copyOfRange(onDisk, onDisk.length - first.length,
                    onDisk.length), "the first instance's file holds the first instance");
            assertInstanceOf(StoreOutcome.Stored.class, next.finish());
        }
    }

    @Test
    void anInstanceAboveTheJournalLimitIsStreamedToAPartFile() throws Exception {
        try (Spool spool = new Spool(root, true, 16 * 1024, 1024 * 1024)) {
            assertStoredIntact(spool, 1, 64 * 1024);
            assertEquals(0, endOfRecords(activeSegment()), "nothing journaled");
        }
    }

    @Test
    void aLargeInstanceWithinTheDefaultLimitIsJournaledWhileAnotherAssociationIsMidTransfer() throws Exception {
        // 512 KB, a 512x512 CT frame: journaled however many associations are receiving (bench/RESULTS.md, A/B)
        java.util.concurrent.ExecutorService association = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Spool spool = new Spool(root, true, Spool.DEFAULT_JOURNAL_LIMIT, 8L * 1024 * 1024)) {
            byte[] other = dataset(2, 200 * 1024);
            Spool.Receipt elsewhere = association.submit(() -> {
                Spool.Receipt r = spool.begin(CT, sop(2), TransferSyntax.ExplicitVRLittleEndian, "SCANNER", "b");
                r.write(other, 0, 1000);
                return r;
            }).get();
            assertStoredIntact(spool, 1, 512 * 1024);
            long afterFirst = endOfRecords(activeSegment());
            assertTrue(afterFirst > 512 * 1024, "journaled");
            StoreOutcome o = association.submit(() -> {
                elsewhere.write(other, 1000, other.length - 1000);
                return elsewhere.finish();
            }).get();
            assertInstanceOf(StoreOutcome.Stored.class, o);
            assertTrue(endOfRecords(activeSegment()) > afterFirst + 200_000, "the other one is journaled too");
        } finally {
            association.shutdown();
        }
    }

    @Test
    void theJournalLimitIsCappedAtHalfASegment() throws Exception {
        // a 1 MB limit with 1 MB segments: 512 KB is the most a record may take
        try (Spool spool = new Spool(root, true, 1024 * 1024, 1024 * 1024)) {
            assertStoredIntact(spool, 1, 600 * 1024);
            assertEquals(0, endOfRecords(activeSegment()), "nothing journaled");
            assertStoredIntact(spool, 2, 400 * 1024);
            assertTrue(endOfRecords(activeSegment()) > 400_000, "journaled");
        }
    }

    private void assertStoredIntact(Spool spool, int n, int pixelBytes) throws IOException {
        byte[] expected = dataset(n, pixelBytes);
        Path file = assertInstanceOf(StoreOutcome.Stored.class, store(spool, n, pixelBytes)).instance().file();
        byte[] onDisk = Files.readAllBytes(file);
        byte[] tail = java.util.Arrays.copyOfRange(onDisk, onDisk.length - expected.length, onDisk.length);
        assertArrayEquals(expected, tail);
    }

    @Test
    void aTruncatedInstanceInMemoryIsQuarantinedNotJournaled() throws Exception {
        try (Spool spool = new Spool(root)) {
            byte[] whole = dataset(1, 4096);
            Spool.Receipt r = spool.begin(CT, sop(1), TransferSyntax.ExplicitVRLittleEndian, "SCANNER", "test");
            r.write(whole, 0, whole.length - 100);
            StoreOutcome o = r.finish();
            assertInstanceOf(StoreOutcome.Quarantined.class, o);
            assertEquals(0, spool.size());
            assertEquals(0, endOfRecords(activeSegment()), "nothing journaled");
            try (Stream<Path> q = Files.list(root.resolve("quarantine"))) {
                assertEquals(2, q.count(), "the data and its reason");
            }
        }
    }

    private StoreOutcome store(Spool spool, int n, int pixelBytes) throws IOException {
        byte[] data = dataset(n, pixelBytes);
        Spool.Receipt r = spool.begin(CT, sop(n), TransferSyntax.ExplicitVRLittleEndian, "SCANNER", "test");
        for (int off = 0; off < data.length; off += 4000) { // in fragments, as the network delivers them
            r.write(data, off, Math.min(4000, data.length - off));
        }
        return r.finish();
    }

    private static String sop(int n) {
        return "1.2.826.0.1.3680043.10.1234.1.1." + n;
    }

    /** A minimal CT data set in explicit VR little endian, Pixel Data last. */
    static byte[] dataset(int n, int pixelBytes) throws IOException {
        try {
            AttributeList l = new AttributeList();
            uid(l, TagFromName.SOPClassUID, CT);
            uid(l, TagFromName.SOPInstanceUID, sop(n));
            uid(l, TagFromName.StudyInstanceUID, STUDY);
            uid(l, TagFromName.SeriesInstanceUID, SERIES);
            CodeStringAttribute m = new CodeStringAttribute(TagFromName.Modality);
            m.addValue("CT");
            l.put(m);
            int side = (int) Math.sqrt(pixelBytes / 2.0);
            UnsignedShortAttribute rows = new UnsignedShortAttribute(TagFromName.Rows);
            rows.addValue(side);
            l.put(rows);
            UnsignedShortAttribute cols = new UnsignedShortAttribute(TagFromName.Columns);
            cols.addValue(side);
            l.put(cols);
            OtherWordAttribute px = new OtherWordAttribute(TagFromName.PixelData);
            short[] v = new short[side * side];
            for (int i = 0; i < v.length; i++) {
                v[i] = (short) (i * 31 + n);
            }
            px.setValues(v);
            l.put(px);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DicomOutputStream out = new DicomOutputStream(b, null, TransferSyntax.ExplicitVRLittleEndian);
            l.write(out);
            out.flush();
            return b.toByteArray();
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IOException(e);
        }
    }

    private static void uid(AttributeList l, AttributeTag tag, String v) throws com.pixelmed.dicom.DicomException {
        UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(v);
        l.put(a);
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.find(root.resolve("spool"), 4, (p, a) -> p.toString().endsWith(".dcm")
                && !p.toString().contains("/.incoming/"))) {
            return new ArrayList<>(s.toList());
        }
    }

    /** What the spool does with a journaled instance: append, commit, write its spool file, report it written. */
    private static void journaled(SpoolJournal journal, Path spoolDir, int n, int bytes) throws IOException {
        byte[] data = new byte[bytes];
        java.util.Arrays.fill(data, (byte) n);
        String relative = "study/series/" + n + ".dcm";
        SpoolJournal.Entry e = journal.append(relative, data, data.length);
        journal.commit(e);
        Files.createDirectories(spoolDir.resolve("study/series"));
        Files.write(spoolDir.resolve(relative), data);
        journal.fileWritten(e);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.holds()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(20);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("spool/.journal"))) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9]+\\.wal")).toList();
        }
    }

    private Path activeSegment() throws IOException {
        List<Path> s = segments();
        assertEquals(1, s.size(), "one active segment: " + s);
        return s.get(0);
    }

    /** Where the verified records of a segment end (walks the record headers). */
    private static long endOfRecords(Path segment) throws IOException {
        long number = Long.parseLong(segment.getFileName().toString().replace(".wal", ""));
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.READ)) {
            long at = 0;
            ByteBuffer h = ByteBuffer.allocate(SpoolJournal.HEADER).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (true) {
                h.clear();
                c.read(h, at);
                h.flip();
                if (h.getInt() != 0x4D594A31 || h.getLong() != number) {
                    return at;
                }
                at = SpoolJournal.pageAligned(at + SpoolJournal.HEADER + h.getInt() + h.getInt());
            }
        }
    }
}
