package org.myoflow.dicom.spool;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.Attrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The durable spool of received instances: {@code spool/<study>/<series>/<sop>.dcm}. Nothing is acknowledged before
 * it is durable, and nothing downstream sees a half-written file:
 * <ul>
 *   <li>an instance up to the journal limit ({@link #DEFAULT_JOURNAL_LIMIT}) is held in memory, checked, appended
 *       to the write-ahead journal ({@link SpoolJournal}: preallocated segments, one fdatasync covers every record
 *       appended before it) and then, after the answer went out, written to its place without a sync of its own; a
 *       checkpoint later syncs those files and recycles the segment, and startup replays any segment not
 *       checkpointed;</li>
 *   <li>a larger one is streamed into a pre-created part file in {@code spool/.incoming/} (its directory entry already
 *       durable), fsynced, checked and renamed into place; the renames' directories are fsynced in groups
 *       ({@link DirectorySync}) and at startup any complete part left in {@code .incoming/} is moved into place.</li>
 * </ul>
 * Refused input goes to {@code quarantine/} with a reason file ({@link Quarantine}); a second copy of a SOP
 * Instance UID is recorded in {@code spool/duplicates.log} ({@link DuplicatesLog}) and dropped.
 *
 * <p>A journaled instance is answered before its spool file is written, so that write must not find the disk full:
 * below a free-space reserve the spool takes no new instance ({@link #refusal}). Should the write fail all the same
 * (something else filled the disk), the instance is acknowledged and in the journal: its file is retried every
 * second, and no new instance is taken until it is in place; a stop leaves it to the next start's replay.
 */
public final class Spool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    /** A UID as PS3.5 9.1 spells it (the length limit is checked apart). */
    static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    /** Where a receipt's bytes start in its buffer: the journal header goes in front of them. */
    private static final int DATA = SpoolJournal.HEADER_ROOM;
    /** How much of each spooled file a restart reads for its header (a 64x64 CT header is about 1.5 KB). */
    private static final int SCAN_HEAD = 16 * 1024;
    /** After a spill, what the buffer keeps of the instance's head for the header check. */
    private static final int SPILLED_HEAD = 64 * 1024;
    /** The longest piece a spilled receipt takes at once (it is written to the part file, then the next). */
    private static final int SPILLED_PIECE = 256 * 1024;
    /** Per association thread: the head of an instance, copied out for the header check. */
    private static final ThreadLocal<byte[]> HEAD = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
    /**
     * Instances up to this size go through the journal; larger ones are streamed to a part file. Overwriting the
     * preallocated segment costs one flush and no file system commit, where a new part file's fsync costs both (here
     * 0.73 against 1.18 ms for 512 KB). The journal writes each instance twice (journal, then spool file); that once
     * made part files faster while several associations were receiving, until checkpoints waited for a quiet moment
     * (bench/RESULTS.md: 512 KB instances on four associations, 1.15x against 1.11x storescp on the 2-core machine,
     * 0.75x against 0.65x on a 16-core one with a faster disk).
     */
    public static final int DEFAULT_JOURNAL_LIMIT = 1024 * 1024;
    /** Journal segment size; the largest journaled instance must fit in half of one. */
    public static final long DEFAULT_SEGMENT_BYTES = 32L * 1024 * 1024;
    private static final long MB = 1024 * 1024;

    private final Path spoolDir;
    private final Path incoming;
    private final Quarantine quarantine;
    private final DuplicatesLog duplicates;
    /**
     * Every instance the spool holds: SOP Instance UID -> the directory of its series, one {@link Path} shared by the
     * series' instances ({@link #seriesDirectory}); the file is {@code <sop>.dcm} there. The spool keeps every
     * instance, so this is kept small: about 130 bytes an instance (a path per instance made it about 500).
     */
    private final Map<String, Path> seriesOf = new ConcurrentHashMap<>();
    private final Map<Path, Path> seriesDirectories = new ConcurrentHashMap<>();

    /** What the start found, until the study assembler took it ({@link #takeSpooledAtStart}). */
    private volatile List<SpooledInstance> atStart;
    private final boolean fsync;
    /** This node's hold on the spool, from before the replay until close (or halt). */
    private final SpoolLock lock;
    private final DirectorySync directorySync = new DirectorySync();
    private final IncomingParts parts;
    private final SpoolJournal journal;
    private final int journalLimit;
    /** Study/series directories known to exist (saves a stat per instance). */
    private final java.util.Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();
    private final FreeSpaceReserve reserve;
    /**
     * The buffers receipts hold their instance in, from {@link SpoolJournal#HEADER_ROOM} on, while it fits the journal
     * (each grows up to the limit); direct, so that the socket reads into them and the journal and the spool file are
     * written from them without a copy (a heap array costs the JDK a copy into native memory each way). A receipt
     * takes one and gives it back once nothing is left to write from memory; so there are never more than receipts
     * at once, and native memory is not left for a garbage collection to free as associations come and go.
     */
    private final ConcurrentLinkedDeque<ByteBuffer> buffers = new ConcurrentLinkedDeque<>();
    /** Acknowledged (journaled) instances whose spool file could not be written yet; retried every second. */
    private final Queue<Unplaced> unplaced = new ConcurrentLinkedQueue<>();
    private final Object placing = new Object();
    private volatile BiConsumer<SpooledInstance, String> placedLate = (i, ae) -> { };
    private ScheduledExecutorService placementRetry;

    /** A journaled instance waiting for its spool file: its bytes, kept until then (at most the journal limit). */
    private record Unplaced(SpoolJournal.Entry entry, Path target, byte[] data, SpooledInstance instance,
                            String callingAe) {
    }

    /**
     * Opens (creating when needed) the spool under {@code root}: indexes what is spooled, then settles what a crash
     * left in {@code .incoming/} (complete parts are moved into place, partial ones quarantined).
     */
    public Spool(Path root) throws IOException {
        this(root, true);
    }

    /**
     * @param fsync false only to measure what durability costs (benchmarks): an acknowledged instance may then be lost
     *     in a power failure
     */
    public Spool(Path root, boolean fsync) throws IOException {
        this(root, fsync, DEFAULT_JOURNAL_LIMIT);
    }

    /** @param journalLimit instances up to this many bytes go through the journal (0: none do) */
    public Spool(Path root, boolean fsync, int journalLimit) throws IOException {
        this(root, fsync, journalLimit, DEFAULT_SEGMENT_BYTES, 0);
    }

    /**
     * @param journalLimit instances up to this many bytes go through the journal (0: none do)
     * @param segmentBytes journal segment size
     */
    Spool(Path root, boolean fsync, int journalLimit, long segmentBytes) throws IOException {
        this(root, fsync, journalLimit, segmentBytes, 0);
    }

    /**
     * @param journalLimit instances up to this many bytes go through the journal (0: none do)
     * @param segmentBytes journal segment size ({@link #DEFAULT_SEGMENT_BYTES})
     * @param minFreeBytes below this much usable space on the file system, {@link #refusal} refuses new instances
     */
    public Spool(Path root, boolean fsync, int journalLimit, long segmentBytes, long minFreeBytes)
            throws IOException {
        this.fsync = fsync;
        this.journalLimit = (int) Math.min(journalLimit, segmentBytes / 2);
        this.spoolDir = root.resolve("spool");
        this.incoming = spoolDir.resolve(".incoming");
        Files.createDirectories(incoming);
        this.quarantine = new Quarantine(root.resolve("quarantine"));
        this.duplicates = new DuplicatesLog(spoolDir);
        this.lock = SpoolLock.take(spoolDir); // before the replay: it rewrites files another node may be writing
        try {
            FileStore fileStore = Files.getFileStore(spoolDir);
            this.reserve = new FreeSpaceReserve(fileStore, spoolDir, minFreeBytes);
            try {
                SpoolJournal.replay(spoolDir); // before anything reads the spool: acknowledged instances first
            } catch (IOException e) {
                throw new IOException("the spool's journal could not be replayed (" + e.getMessage() + "; "
                        + fileStore.getUsableSpace() / MB + " MB usable under " + root + "). Its segments are kept, "
                        + "so nothing acknowledged is lost: free space (or mend the cause) and start again", e);
            }
            List<SpooledInstance> found = scanSpooled();
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(incoming)) {
                for (Path part : leftovers) {
                    SpooledInstance recovered = recoverPart(part);
                    if (recovered != null) {
                        found.add(recovered);
                    }
                }
            }
            directorySync.flush();
            this.atStart = List.copyOf(found);
            this.parts = new IncomingParts(incoming);
            this.journal = new SpoolJournal(spoolDir, segmentBytes, fsync, SpoolJournal.DEFAULT_CHECKPOINT_QUIET);
        } catch (IOException | RuntimeException e) {
            try {
                lock.close(); // the next start may take it
            } catch (IOException notReleased) {
                e.addSuppressed(notReleased);
            }
            throw e;
        }
    }

    public Path directory() {
        return spoolDir;
    }

    public Path quarantineDirectory() {
        return quarantine.directory();
    }

    /** The study a spooled instance belongs to, or null when the spool does not hold it. */
    public String studyOf(String sopInstanceUid) {
        Path series = seriesOf.get(sopInstanceUid);
        return series == null ? null : series.getParent().getFileName().toString();
    }

    /**
     * Takes an instance out of the spool for good (retention): deletes its file and forgets its SOP Instance UID, the
     * two at once against a store of the same UID, so that a copy sent again afterwards is stored anew rather than
     * answered as a duplicate of a file that is gone. Only for instances of a recorded revision (their files are
     * written), after {@link #checkpointJournal} (else a crash replay writes the file again); the caller syncs the
     * series directory. Returns the bytes freed, or -1 when the spool does not hold it.
     */
    public long retire(String sopInstanceUid) throws IOException {
        long[] freed = {-1};
        IOException[] failed = {null};
        seriesOf.computeIfPresent(sopInstanceUid, (uid, series) -> {
            Path file = series.resolve(uid + ".dcm");
            try {
                long size = Files.exists(file) ? Files.size(file) : 0;
                Files.deleteIfExists(file);
                freed[0] = size;
                return null;
            } catch (IOException e) {
                failed[0] = e;
                return series; // still held: the next sweep tries again
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        return freed[0];
    }

    /**
     * Makes every instance journaled so far checkpointed (its file durable, its journal record recycled), so that a
     * crash replay cannot bring back a file deleted afterwards. False when the journal found no quiet moment for it
     * within the timeout, or the spool is closing.
     */
    public boolean checkpointJournal(Duration timeout) throws IOException {
        try {
            return journal.checkpointAll(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the node is stopping
            return false;
        }
    }

    /** Number of distinct instances spooled. */
    public int size() {
        return seriesOf.size();
    }

    /**
     * Every instance spooled when the spool was opened (headers only), for the study assembler's recovery; handed over
     * once (later calls get an empty list), so that the node does not hold a description of every instance it ever
     * received for as long as it runs.
     */
    public List<SpooledInstance> takeSpooledAtStart() {
        List<SpooledInstance> found = atStart;
        atStart = List.of();
        return found;
    }

    /**
     * Why no new instance can be taken now, or null: acknowledged instances still wait for their spool files, or the
     * file system's usable space is below the reserve ({@link FreeSpaceReserve}). The caller answers 0xA700 and keeps
     * nothing (the sender keeps the instance and sends it again later).
     */
    public String refusal() {
        if (!unplaced.isEmpty() && placeWaiting() > 0) {
            return unplaced.size() + " acknowledged instance(s) wait for room to write their spool files";
        }
        return reserve.refusal();
    }

    /** A buffer for a new receipt: one given back by an earlier receipt, or a new one. */
    private ByteBuffer takeBuffer() {
        ByteBuffer b = buffers.pollFirst();
        return b != null ? b : ByteBuffer.allocateDirect(DATA + 64 * 1024 + SpoolJournal.PAGE);
    }

    /** Usable bytes on the spool's file system (-1 when unreadable). */
    public long usableBytes() {
        return reserve.usableBytes();
    }

    /** Acknowledged instances whose spool file is not written yet (the journal holds them). */
    public int unplacedCount() {
        return unplaced.size();
    }

    /**
     * Told of each instance whose spool file could only be written after its answer had gone out and a first try
     * had failed (the listener that {@link Receipt#placeFile} returning true would have told at once).
     */
    public void onPlacedLate(BiConsumer<SpooledInstance, String> listener) {
        this.placedLate = listener;
    }

    /** Writes the spool files still waiting, oldest first, until one fails; returns how many still wait. */
    private int placeWaiting() {
        synchronized (placing) {
            Unplaced u;
            while ((u = unplaced.peek()) != null) {
                try {
                    writeSpoolFile(u.target(), ByteBuffer.wrap(u.data()));
                } catch (IOException | RuntimeException e) {
                    deleteQuietly(u.target());
                    return unplaced.size();
                }
                unplaced.remove();
                journal.fileWritten(u.entry());
                log.warn("event=spool_file_placed_late sop={} study={} file={}", u.instance().sopInstanceUid(),
                        u.instance().studyUid(), u.target());
                try {
                    placedLate.accept(u.instance(), u.callingAe());
                } catch (RuntimeException e) { // e.g. the node stopping: the next start finds the file anyway
                    log.error("event=placed_late_not_told sop={} reason=\"{}\"", u.instance().sopInstanceUid(),
                            e.toString());
                }
            }
            return 0;
        }
    }

    private synchronized void retryPlacementEverySecond() {
        if (placementRetry == null) {
            placementRetry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "spool-placement-retry");
                t.setDaemon(true);
                return t;
            });
            placementRetry.scheduleWithFixedDelay(this::placeWaiting, 1, 1, TimeUnit.SECONDS);
        }
    }

    private synchronized void stopPlacementRetry() {
        if (placementRetry != null) {
            placementRetry.shutdownNow();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(p); // half a file would pass for a spooled instance at the next start
            }
        } catch (IOException e) {
            // the next try overwrites it; replay rewrites it at the next start
        }
    }

    /** Makes every rename into the spool durable now (before anything is recorded about those instances). */
    public void syncDirectories() throws IOException {
        directorySync.flush();
    }

    /**
     * Reads the header of every spooled file, for the index and the study assembler's recovery: each file's first
     * {@link #SCAN_HEAD} bytes through {@link DatasetCheck#spooledHeader}, PixelMed only where that cannot decide (a
     * restart reads every instance the spool holds before it listens: PixelMed took 0.1-0.2 ms a file).
     */
    private List<SpooledInstance> scanSpooled() throws IOException {
        List<SpooledInstance> found = new ArrayList<>();
        ByteBuffer head = ByteBuffer.allocate(SCAN_HEAD);
        Files.walkFileTree(spoolDir, EnumSet.noneOf(FileVisitOption.class), 3, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                return dir.equals(incoming) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (a.isRegularFile() && f.getFileName().toString().endsWith(".dcm")) {
                    SpooledInstance i = scanned(f, a.size(), head);
                    if (i != null) {
                        seriesOf.putIfAbsent(i.sopInstanceUid(), seriesDirectory(f.getParent()));
                        found.add(i);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /** One spooled file's header, or null (logged) when it cannot be read. */
    private static SpooledInstance scanned(Path f, long size, ByteBuffer head) {
        try {
            head.clear();
            try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
                while (head.hasRemaining() && c.read(head) >= 0) {
                    // until the buffer is full or the file ends
                }
            }
            HeaderFields h = DatasetCheck.spooledHeader(head.array(), head.position(), size);
            if (h == null) {
                AttributeList l = new AttributeList();
                try (DicomInputStream in = new DicomInputStream(f.toFile())) {
                    l.read(in, TagFromName.PixelData);
                }
                h = HeaderFields.of(l);
            }
            return describe(f, h, size);
        } catch (DicomException | IOException | InstanceRefusedException | RuntimeException e) {
            // It was checked before it was acknowledged, so this is disk damage or a hand-placed file.
            log.error("event=spool_unreadable file={} reason=\"{}\"", f, e.getMessage());
            return null;
        }
    }

    /** A part left by a crash: empty (never used), complete (maybe acknowledged: keep it) or partial (quarantine). */
    private SpooledInstance recoverPart(Path part) throws IOException {
        if (Files.size(part) == 0) {
            Files.delete(part);
            return null;
        }
        try {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(part.toFile());
            DatasetCheck.Inspected in = DatasetCheck.read(part, Attrs.string(meta, TagFromName.TransferSyntaxUID));
            SpooledInstance d = describe(part, in.fields(), Files.size(part));
            Path target = place(d);
            if (seriesOf.putIfAbsent(d.sopInstanceUid(), seriesDirectory(target.getParent())) != null) {
                Files.delete(part);
                return null;
            }
            createDirectoriesDurably(target.getParent());
            move(part, target);
            directorySync.dirty(target.getParent());
            log.warn("event=part_recovered sop={} file={}", d.sopInstanceUid(), target);
            return withFile(d, target);
        } catch (DicomException | InstanceRefusedException | IOException | RuntimeException e) {
            quarantine.keep(part, "incomplete receipt found at startup (" + e.getMessage() + "): the node stopped "
                    + "during the transfer, so it was never acknowledged", null);
            return null;
        }
    }

    /** The one {@link Path} object for a series directory that the index shares among the series' instances. */
    private Path seriesDirectory(Path dir) {
        return seriesDirectories.computeIfAbsent(dir, d -> d);
    }

    private Path place(SpooledInstance d) {
        return spoolDir.resolve(d.studyUid()).resolve(d.seriesUid()).resolve(d.sopInstanceUid() + ".dcm");
    }

    private static SpooledInstance withFile(SpooledInstance d, Path file) {
        return new SpooledInstance(file, d.studyUid(), d.seriesUid(), d.sopInstanceUid(), d.sopClassUid(),
                d.modality(), d.seriesNumber(), d.seriesDescription(), d.patientId(), d.patientName(),
                d.accessionNumber(), d.frames(), d.seriesRelatedInstances(), d.volumetric(), d.bytes());
    }

    /** Starts receiving one instance; the caller streams the data set into the receipt, then finishes it. */
    public Receipt begin(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         String association) throws IOException {
        return new Receipt(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe, association);
    }

    /**
     * One instance being received. Up to {@link #journalLimit} bytes it is held in memory and, once checked, goes
     * through the journal (append and sync, then its spool file without a sync of its own); a larger one is streamed
     * into a pre-created part file, fsynced, checked and renamed into place. Not thread-safe: an association receives
     * one instance at a time.
     */
    public final class Receipt implements AutoCloseable {
        private final String sopClassUid;
        private final String sopInstanceUid;
        private final String transferSyntaxUid;
        private final String callingAe;
        private final String association;
        /**
         * The file's bytes from {@link #DATA} on while in memory; after a spill, its head (the check reads the
         * header from it), then the piece being received.
         */
        private ByteBuffer buffer = takeBuffer();
        private int bufferLength;
        /** The view {@link #room} hands out, and where its piece starts in the buffer. */
        private ByteBuffer room = buffer.duplicate();
        private int roomStart;
        private final byte[] tail = new byte[8];
        private int headLength;
        private long fileLength;
        private long bytes;
        private boolean done;
        private Path part;
        private FileChannel file;
        /** Committed to the journal, spool file not yet written ({@link #placeFile}). */
        private SpoolJournal.Entry journaled;
        private Path journaledTarget;
        private SpooledInstance journaledInstance;

        private Receipt(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                        String association) throws IOException {
            this.sopClassUid = sopClassUid;
            this.sopInstanceUid = sopInstanceUid;
            this.transferSyntaxUid = transferSyntaxUid;
            this.callingAe = callingAe;
            this.association = association;
            byte[] meta = FileMetaHeader.encode(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe);
            append(meta, 0, meta.length);
        }

        /** Appends data set bytes exactly as received (the file's data set is in the negotiated syntax). */
        public void write(byte[] b, int off, int len) throws IOException {
            append(b, off, len);
            bytes += len;
        }

        private void append(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                ByteBuffer r = room(len);
                int n = r.remaining();
                r.put(b, off, n);
                advance(n);
                off += n;
                len -= n;
            }
        }

        /**
         * Space for up to {@code max} more data set bytes (at least one; fewer after a spill), to be filled from its
         * position on, by a socket read straight into it, and then handed back to {@link #filled}. Valid until then.
         */
        public ByteBuffer room(int max) throws IOException {
            if (file == null && fileLength + max > journalLimit) {
                spill();
            }
            int at = file == null ? DATA + bufferLength : DATA + Math.min(bufferLength, SPILLED_HEAD);
            int n = file == null ? max : Math.min(max, SPILLED_PIECE);
            ensureCapacity(at + n + SpoolJournal.PAGE); // a page for the journal's padding
            roomStart = at;
            return room.limit(at + n).position(at);
        }

        /** The bytes put into the {@link #room} handed out since, up to its position, are part of the data set. */
        public void filled(ByteBuffer r) throws IOException {
            if (r != room) {
                throw new IllegalArgumentException("not this receipt's room");
            }
            int n = r.position() - roomStart;
            advance(n);
            bytes += n;
        }

        private void advance(int n) throws IOException {
            int end = roomStart + n;
            if (file == null) {
                bufferLength += n;
            } else {
                ByteBuffer piece = buffer.duplicate().limit(end).position(roomStart);
                while (piece.hasRemaining()) {
                    file.write(piece);
                }
            }
            int keep = Math.min(n, 8);
            System.arraycopy(tail, keep, tail, 0, 8 - keep);
            buffer.get(end - keep, tail, 8 - keep, keep);
            fileLength += n;
        }

        private void ensureCapacity(int capacity) {
            if (buffer.capacity() >= capacity) {
                return;
            }
            ByteBuffer grown = ByteBuffer.allocateDirect(Math.max(capacity, 2 * buffer.capacity()));
            grown.put(0, buffer, 0, DATA + (file == null ? bufferLength : Math.min(bufferLength, SPILLED_HEAD)));
            buffer = grown;
            room = grown.duplicate();
        }

        /** The file's bytes held in the buffer (all of it while in memory). */
        private ByteBuffer held() {
            return buffer.slice(DATA, bufferLength);
        }

        /** Up to {@code max} bytes of the file's head, copied out for the header check (its array, and length). */
        private byte[] head(int max) {
            int n = Math.min(max, file == null ? bufferLength : Math.min(bufferLength, SPILLED_HEAD));
            byte[] h = HEAD.get();
            if (h.length < n) {
                h = new byte[n];
                if (n <= SPILLED_HEAD) {
                    HEAD.set(h);
                }
            }
            buffer.get(DATA, h, 0, n);
            headLength = n;
            return h;
        }

        /** Too large for the journal: continue in a part file, starting with what is buffered. */
        private void spill() throws IOException {
            part = parts.take();
            // no TRUNCATE: the part is empty, and truncating makes ext4 flush the file on close (auto_da_alloc)
            file = FileChannel.open(part, StandardOpenOption.WRITE);
            ByteBuffer bb = held();
            while (bb.hasRemaining()) {
                file.write(bb);
            }
        }

        public long bytes() {
            return bytes;
        }

        /** {@link #makeDurable} then {@link #placeFile}: the instance is durable and its spool file in place. */
        public StoreOutcome finish() throws IOException {
            StoreOutcome outcome = makeDurable();
            if (!placeFile()) {
                throw new IOException("spool file of " + sopInstanceUid + " not written (the journal holds it)");
            }
            return outcome;
        }

        /**
         * Makes the instance durable and decides what it is; after this the caller may answer the sender, and then
         * calls {@link #placeFile}. A journaled instance's spool file is written only then: the journal already holds
         * it, so the sender need not wait for that write.
         */
        public StoreOutcome makeDurable() throws IOException {
            try {
                return decide();
            } finally {
                if (journaled == null) { // nothing left to write from memory
                    releaseBuffer();
                }
            }
        }

        private StoreOutcome decide() throws IOException {
            done = true;
            boolean inMemory = file == null;
            if (!inMemory) {
                if (fsync) {
                    file.force(true);
                }
                file.close();
            }
            SpooledInstance described;
            try {
                byte[] h = head(SPILLED_HEAD); // a header longer than that is rare: then all the buffer holds
                DatasetCheck.Inspected in = DatasetCheck.fromReceived(h, headLength, tail, fileLength,
                        transferSyntaxUid);
                if (in == null && headLength < (inMemory ? bufferLength : Math.min(bufferLength, SPILLED_HEAD))) {
                    h = head(Integer.MAX_VALUE);
                    in = DatasetCheck.fromReceived(h, headLength, tail, fileLength, transferSyntaxUid);
                }
                if (in == null) {
                    in = inMemory ? DatasetCheck.readAll(head(Integer.MAX_VALUE), bufferLength)
                            : DatasetCheck.read(part, transferSyntaxUid);
                }
                check(in);
                described = describe(part, in.fields(), fileLength);
            } catch (InstanceRefusedException e) {
                return refuse(e.getMessage(), e.status());
            } catch (DicomException | IOException | RuntimeException e) {
                return refuse("unreadable data set (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                        InstanceRefusedException.CANNOT_UNDERSTAND);
            }
            Path target = place(described);
            Path existingSeries = seriesOf.putIfAbsent(sopInstanceUid, seriesDirectory(target.getParent()));
            if (existingSeries != null) {
                Path existing = existingSeries.resolve(sopInstanceUid + ".dcm");
                if (!inMemory) {
                    Files.delete(part);
                }
                journal.commitAll(); // the first copy may still be on its way to disk on another association
                duplicates.record(existing);
                return new StoreOutcome.Duplicate(sopInstanceUid, existing);
            }
            SpooledInstance stored = withFile(described, target);
            try {
                if (inMemory) {
                    storeThroughJournal(target);
                    journaledInstance = stored;
                } else {
                    createDirectoriesDurably(target.getParent());
                    move(part, target);
                    directorySync.dirty(target.getParent());
                }
            } catch (IOException e) {
                seriesOf.remove(sopInstanceUid, target.getParent());
                // never acknowledged: keep what came, with the reason; the sender keeps its copy and may retry
                return refuse("spool write failed (" + e + ")", InstanceRefusedException.OUT_OF_RESOURCES);
            }
            reserve.stored(fileLength);
            return new StoreOutcome.Stored(stored);
        }

        /** Journal append and commit; {@link #placeFile} writes the spool file itself (no sync of its own). */
        private void storeThroughJournal(Path target) throws IOException {
            SpoolJournal.Entry entry = journal.append(spoolDir.relativize(target).toString(), buffer, DATA,
                    bufferLength);
            try {
                journal.commit(entry);
            } catch (IOException | RuntimeException e) {
                journal.fileWritten(entry);
                throw e;
            }
            journaled = entry;
            journaledTarget = target;
        }

        /**
         * Writes the spool file of a journaled instance (nothing to do for any other outcome). Returns false when
         * that failed: the instance stays in the journal (its segment is not checkpointed) and its bytes in memory;
         * the file is retried every second, the {@link #onPlacedLate} listener is told once it is written, and no
         * new instance is taken until then. A stop before that leaves it to the next start's replay.
         */
        public boolean placeFile() {
            SpoolJournal.Entry entry = journaled;
            if (entry == null) {
                releaseBuffer();
                return true;
            }
            journaled = null;
            try {
                writeSpoolFile(journaledTarget, held());
            } catch (IOException | RuntimeException e) {
                deleteQuietly(journaledTarget);
                byte[] data = new byte[bufferLength];
                held().get(data);
                unplaced.add(new Unplaced(entry, journaledTarget, data, journaledInstance, callingAe));
                retryPlacementEverySecond();
                log.error("event=spool_file_failed sop={} file={} reason=\"{}\" recovery=\"acknowledged and in the "
                        + "journal; the file is retried every second and new instances are refused until it is in "
                        + "place\"", sopInstanceUid, journaledTarget, e.toString());
                return false;
            } finally {
                releaseBuffer();
            }
            journal.fileWritten(entry);
            return true;
        }

        /** The buffer goes back to the spool's; this receipt holds nothing in memory any more. */
        private void releaseBuffer() {
            if (buffer != null) {
                buffers.offerFirst(buffer);
                buffer = null;
                room = null;
            }
        }

        /** The transfer broke off (abort, garbage, node stopping): keep what came, with the reason. */
        public Path abandon(String reason) throws IOException {
            if (done) {
                return null;
            }
            done = true;
            try {
                return quarantine.keep(toPart(), reason + " after " + bytes + " data set bytes; never acknowledged",
                        origin());
            } finally {
                releaseBuffer();
            }
        }

        /** What was received, durably in a part file (the quarantine keeps files). */
        private Path toPart() throws IOException {
            if (file == null) {
                spill();
            }
            try {
                file.force(true);
            } finally {
                file.close();
            }
            return part;
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                abandon("receipt closed unfinished");
            }
        }

        private void check(DatasetCheck.Inspected in) throws InstanceRefusedException {
            String sop = in.fields().sopInstanceUid();
            String cls = in.fields().sopClassUid();
            if (!sopInstanceUid.equals(sop)) {
                throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                        "SOP Instance UID in the data set (" + sop + ") differs from the C-STORE request ("
                                + sopInstanceUid + ")");
            }
            if (!sopClassUid.equals(cls)) {
                throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                        "SOP Class UID in the data set (" + cls + ") differs from the C-STORE request ("
                                + sopClassUid + ")");
            }
            if (!in.hasPixelData() && cls.startsWith("1.2.840.10008.5.1.4.1.1.")
                    && !isNonImage(cls)) {
                throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                        "image SOP class " + cls + " without Pixel Data");
            }
        }

        private Quarantine.Origin origin() {
            return new Quarantine.Origin(sopInstanceUid, sopClassUid, transferSyntaxUid, callingAe, association);
        }

        private StoreOutcome refuse(String reason, int status) throws IOException {
            Path where = quarantine.keep(file == null || file.isOpen() ? toPart() : part, reason, origin());
            return new StoreOutcome.Quarantined(reason, status, where);
        }
    }

    /** Structured reports, SEG, presentation states etc. carry no Pixel Data element. */
    private static boolean isNonImage(String sopClass) {
        return sopClass.startsWith("1.2.840.10008.5.1.4.1.1.88.") || sopClass.equals("1.2.840.10008.5.1.4.1.1.66.4")
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.11.") || sopClass.equals("1.2.840.10008.5.1.4.1.1.104.1");
    }

    static SpooledInstance describe(Path file, HeaderFields h, long bytes) throws InstanceRefusedException {
        String study = uid(h.studyUid(), "Study Instance UID");
        String series = uid(h.seriesUid(), "Series Instance UID");
        String sop = uid(h.sopInstanceUid(), "SOP Instance UID");
        String cls = uid(h.sopClassUid(), "SOP Class UID");
        int frames = h.frames();
        boolean enhanced = frames > 1 && h.perFrameGroups();
        boolean reconTomo = frames > 1 && cls.equals("1.2.840.10008.5.1.4.1.1.20")
                && h.imageType().contains("RECON TOMO");
        return new SpooledInstance(file, study, series, sop, cls, h.modality(), h.seriesNumber(),
                h.seriesDescription(), h.patientId(), h.patientName(), h.accessionNumber(), frames,
                h.seriesRelatedInstances(), enhanced || reconTomo, bytes);
    }

    private static String uid(String v, String name) throws InstanceRefusedException {
        if (v.isEmpty() || v.length() > 64 || !UID.matcher(v).matches()) {
            throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                    (v.isEmpty() ? "missing " + name : "invalid " + name + " '" + v + "'"));
        }
        return v;
    }

    /** Deletes what was quarantined before {@code cutoff}, each file with its reason. Returns {files, bytes}. */
    public long[] pruneQuarantine(Instant cutoff) throws IOException {
        return quarantine.prune(cutoff);
    }

    /** Past this, duplicates.log becomes duplicates.log.1 (the one before it goes). */
    public static final long DUPLICATES_LOG_LIMIT = DuplicatesLog.LIMIT;

    /** Writes a small file atomically and durably (temp, fsync, rename, fsync directory). */
    public static void writeDurably(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(java.nio.ByteBuffer.wrap(content));
            c.force(true);
        }
        move(tmp, target);
        fsyncDirectory(target.getParent());
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes a spool file whose bytes the journal already holds: no sync (the checkpoint syncs it, replay rewrites
     * it after a crash) and no TRUNCATE (ext4 would flush a truncated file on close).
     */
    private void writeSpoolFile(Path target, ByteBuffer data) throws IOException {
        Path dir = target.getParent();
        if (!knownDirectories.contains(dir)) {
            Files.createDirectories(dir);
            knownDirectories.add(dir);
        }
        try (FileChannel c = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (data.hasRemaining()) {
                c.write(data);
            }
        }
    }

    private static void createDirectoriesDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectoriesDurably(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return; // another association created it at the same moment
        }
        fsyncDirectory(dir.getParent());
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** Instances that went through the journal since start. */
    public long journalRecords() {
        return journal.records();
    }

    /** Journal syncs since start. */
    public long journalSyncs() {
        return journal.syncs();
    }

    /** Full journal segments not yet checkpointed. */
    public int journalSegmentsAwaitingCheckpoint() {
        return journal.segmentsAwaitingCheckpoint();
    }

    /** Stops the background threads and nothing else: the state a crash leaves (tests). */
    void halt() {
        stopPlacementRetry();
        parts.halt();
        journal.halt();
        directorySync.halt();
        try {
            lock.close(); // as the end of a crashed process would
        } catch (IOException e) {
            log.warn("event=spool_lock_release_failed reason=\"{}\"", e.toString());
        }
    }

    /**
     * Stops the background work. With spool files still unwritten (disk full) the journal is left as a crash leaves
     * it, so that the next start's replay writes them; otherwise its last segment is checkpointed.
     */
    @Override
    public void close() throws IOException {
        try {
            stopPlacementRetry();
            parts.close();
            if (!unplaced.isEmpty() && placeWaiting() > 0) {
                log.error("event=spool_closed_with_unplaced instances={} recovery=\"journal replay at next start\"",
                        unplaced.size());
                journal.halt();
            } else {
                journal.close();
            }
            directorySync.close();
        } finally {
            lock.close();
        }
    }
}
