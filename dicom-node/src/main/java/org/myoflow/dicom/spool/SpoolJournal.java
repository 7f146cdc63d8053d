package org.myoflow.dicom.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Write-ahead journal for small instances: a received instance is appended to a preallocated segment and made durable
 * by an {@code fdatasync} of the segment, which also covers every record appended before it (see {@link #commit});
 * its spool file is then written without a sync of its own. Overwriting preallocated blocks changes no file metadata,
 * so the sync costs about half a new file's {@code fsync} here.
 *
 * <p>A full segment is checkpointed in the background: one {@code syncfs} (coreutils {@code sync -f}) makes every
 * spool file written from it durable, and the segment is recycled as a spare. The checkpoint waits until nothing has
 * been appended for a moment ({@link #DEFAULT_CHECKPOINT_QUIET}), or until more than {@link #MAX_WAITING_SEGMENTS}
 * full segments wait: its flush of the spool files would otherwise queue in front of the commits of the associations
 * still receiving. At startup {@link #replay} rewrites the spool files of every segment not checkpointed, so an
 * acknowledged instance survives a crash at any point.
 *
 * <p>Record: magic, segment number (a recycled segment's stale records carry an older one), path length, data
 * length, CRC32C of path and data, the path relative to the spool, the data, zeros to the next page boundary (see
 * {@link #pageAligned}; segments written before records were aligned have none, and replay reads both). The first
 * record that does not verify ends the segment (a torn append was never acknowledged).
 */
final class SpoolJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpoolJournal.class);
    private static final int MAGIC = 0x4D594A31; // "MYJ1"
    static final int HEADER = 4 + 8 + 4 + 4 + 4;
    static final int PAGE = 4096;
    private static final byte[] ZEROS = new byte[PAGE];
    private static final String SUFFIX = ".wal";
    private static final String SPARE_PREFIX = "spare-";
    /**
     * Quiet (no append) before a full segment is checkpointed. A scanner's push is a burst: its checkpoints then run
     * between bursts, as the kernel writes back storescp's files after it has answered.
     */
    static final Duration DEFAULT_CHECKPOINT_QUIET = Duration.ofMillis(250);
    /** Full segments that may wait for a quiet moment; with more, one is checkpointed at once (replay stays bounded). */
    static final int MAX_WAITING_SEGMENTS = 3;

    private final Path dir;
    private final Path spoolDir;
    private final long segmentBytes;
    private final boolean sync;
    private final long checkpointQuietNanos;
    private final Object appendLock = new Object();
    private final LinkedBlockingDeque<Segment> toCheckpoint = new LinkedBlockingDeque<>();
    private final Deque<Path> spares = new ArrayDeque<>();
    private final Thread checkpointer;
    private volatile boolean closed;

    private long spareCounter;
    private Segment current;
    /**
     * Segment numbers start from the clock in milliseconds and count up, so a recycled spare's stale records (an
     * earlier, smaller number) never pass for records of the segment it becomes.
     */
    private long nextNumber;
    /** Bytes appended to {@link #current}; bytes appended since opening (the tickets), and how many are durable. */
    private long written;
    private long appended;
    /** One record as written, page-aligned and zero-padded; used under appendLock only. */
    private ByteBuffer record = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final AtomicLong durable = new AtomicLong();
    private volatile long lastAppend = System.nanoTime();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();

    private record Segment(long number, Path file, FileChannel channel, AtomicInteger unwritten) {
    }

    /** One appended record: commit it, write its spool file, then report that with {@link #fileWritten}. */
    record Entry(long ticket, Object segment) {
    }

    /**
     * Opens the journal in {@code spoolDir/.journal}; {@link #replay} must have run on it first.
     *
     * @param segmentBytes size of a segment (the largest record must fit)
     * @param sync false only for benchmarks: nothing is synced
     * @param checkpointQuiet how long nothing must be appended before a full segment is checkpointed
     */
    SpoolJournal(Path spoolDir, long segmentBytes, boolean sync, Duration checkpointQuiet) throws IOException {
        this.spoolDir = spoolDir;
        this.checkpointQuietNanos = checkpointQuiet.toNanos();
        this.dir = spoolDir.resolve(".journal");
        this.segmentBytes = segmentBytes;
        this.sync = sync;
        Files.createDirectories(dir);
        long highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(SPARE_PREFIX) && Files.size(f) == segmentBytes) {
                    spares.add(f);
                } else if (segmentNumber(f) >= 0) {
                    throw new IllegalStateException("journal segment " + f + " was not replayed");
                } else {
                    Files.delete(f); // a spare of another size or a half-made one
                }
                highest = Math.max(highest, spareNumber(name));
            }
        }
        this.spareCounter = highest;
        this.nextNumber = System.currentTimeMillis();
        this.current = open(nextNumber++); // now, not at the first instance: making one costs a segment of zeros
        checkpointer = new Thread(this::checkpointLoop, "spool-journal-checkpoint");
        checkpointer.setDaemon(true);
        checkpointer.start();
    }

    /**
     * Room a caller leaves in front of data it appends in place ({@link #append(String, ByteBuffer, int, int)}): the
     * record header and the spool-relative path (three UIDs of at most 64 characters, two slashes, ".dcm").
     */
    static final int HEADER_ROOM = 512;

    /** {@link #append(String, ByteBuffer, int, int)} of data in a heap array (copied into the journal's buffer). */
    Entry append(String relativePath, byte[] data, int length) throws IOException {
        return append(relativePath, ByteBuffer.wrap(data), 0, length);
    }

    /**
     * Appends one spool file's content, bytes [offset, offset + length) of {@code data}. The caller then commits the
     * entry, writes the spool file itself (without a sync) and calls {@link #fileWritten}: a checkpoint waits for
     * that before it syncs and recycles the segment. A direct buffer with {@link #HEADER_ROOM} bytes before the data
     * and a page after it is written from in place: the header goes in front of the data and the padding after it,
     * so a received instance reaches the segment with no copy of its own; any other buffer is copied first.
     */
    Entry append(String relativePath, ByteBuffer data, int offset, int length) throws IOException {
        byte[] path = relativePath.getBytes(StandardCharsets.UTF_8);
        int size = HEADER + path.length + length;
        long padded = pageAligned(size);
        if (padded > segmentBytes) {
            throw new IllegalArgumentException("record of " + size + " bytes exceeds the journal segment");
        }
        CRC32C crc = new CRC32C();
        crc.update(path);
        crc.update(data.slice(offset, length));
        int pad = (int) (padded - size);
        boolean inPlace = data.isDirect() && offset >= HEADER + path.length
                && data.capacity() - (offset + length) >= pad;
        synchronized (appendLock) {
            if (closed) {
                // the last segment may be in its checkpoint: a record appended now would be recycled with it
                throw new IOException("spool journal is closed (node stopping); instance not stored");
            }
            if (current == null) {
                current = open(nextNumber++);
                written = 0;
            } else if (written + padded > segmentBytes) {
                rotate();
            }
            ByteBuffer out;
            if (inPlace) {
                out = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                out.limit(offset + length + pad).position(offset - HEADER - path.length);
                out.mark();
                putHeader(out, path, length, crc);
                out.position(offset + length);
            } else {
                if (record.capacity() < padded) {
                    record = ByteBuffer.allocateDirect((int) Math.max(padded, 2L * record.capacity()))
                            .order(ByteOrder.LITTLE_ENDIAN);
                }
                out = record.clear();
                out.mark();
                putHeader(out, path, length, crc);
                out.put(data.slice(offset, length));
            }
            out.put(ZEROS, 0, pad); // to the page's end: whole pages are never read first
            out.limit(out.position()).reset();
            FileChannel c = current.channel();
            long at = written;
            while (out.hasRemaining()) {
                at += c.write(out, at); // one pwrite; the channel is only written here, under appendLock
            }
            appended += at - written;
            written = at;
            current.unwritten().incrementAndGet();
            records.incrementAndGet();
            lastAppend = System.nanoTime();
            return new Entry(appended, current);
        }
    }

    private void putHeader(ByteBuffer out, byte[] path, int length, CRC32C crc) {
        out.putInt(MAGIC).putLong(current.number()).putInt(path.length).putInt(length).putInt((int) crc.getValue())
                .put(path);
    }

    /**
     * Records start on a page boundary and fill whole pages. A write that covers part of a page makes the kernel read
     * the rest of it from disk first, while the association waits, whenever the page has left the page cache (as a
     * segment's pages do between its zero-fill or last use and its next; measured, bench/RESULTS.md).
     */
    static long pageAligned(long at) {
        return (at + PAGE - 1) & -PAGE;
    }

    /**
     * Returns once the record behind {@code ticket} is durable; one fdatasync covers every record appended so far.
     * Associations sync side by side rather than one after another: an instance arriving while a sync is in flight
     * starts its own at once instead of waiting out the one in flight first. This disk overlaps such flushes only in
     * part (a probe: four processes syncing at once, 0.42-0.45 ms each against 0.21-0.44 ms alone; under four pushing
     * associations about 1 ms each), but an A/B still favoured it over taking turns (bench/RESULTS.md).
     */
    void commit(Entry entry) throws IOException {
        long ticket = entry.ticket();
        if (!sync || durable.get() >= ticket) {
            return; // a sync that started after this record was appended covered it
        }
        Segment s;
        long upTo;
        synchronized (appendLock) {
            s = current;
            upTo = appended;
        }
        if (s == null) {
            return; // nothing was ever appended
        }
        s.channel().force(false); // records in earlier segments were forced when those were rotated out
        syncs.incrementAndGet();
        durable.accumulateAndGet(upTo, Math::max);
    }

    /** Records appended since start. */
    long records() {
        return records.get();
    }

    /** fdatasyncs of the active segment since start (fewer than records: a sync covered records appended before it). */
    long syncs() {
        return syncs.get();
    }

    /**
     * Full segments not yet checkpointed, the one in its checkpoint included: up to {@link #MAX_WAITING_SEGMENTS} while
     * associations are receiving (one more during a checkpoint); more means checkpoints fail (see the log).
     */
    int segmentsAwaitingCheckpoint() {
        return toCheckpoint.size();
    }

    /** Makes everything appended so far durable. */
    void commitAll() throws IOException {
        long upTo;
        synchronized (appendLock) {
            upTo = appended;
        }
        commit(new Entry(upTo, null));
    }

    /** The spool file of this entry is written (or will never be: the instance was refused after all). */
    void fileWritten(Entry entry) {
        ((Segment) entry.segment()).unwritten().decrementAndGet();
    }

    /**
     * Closes the active segment for checkpointing and waits until every segment holding a record appended so far is
     * checkpointed: their spool files are durable and no replay will write them again, so a file deleted after this
     * returned true stays deleted (retention). False when that did not happen within the timeout (associations kept
     * receiving without a quiet moment) or the journal is closing.
     */
    boolean checkpointAll(Duration timeout) throws IOException, InterruptedException {
        Segment last;
        synchronized (appendLock) {
            if (closed) {
                return false;
            }
            if (current != null && written > 0) {
                rotate();
            }
            last = toCheckpoint.peekLast();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (last != null && toCheckpoint.contains(last)) { // checkpointed in order: the last one is done last
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Closes the full segment (durably) for checkpointing and continues in a spare. Called holding appendLock. */
    private void rotate() throws IOException {
        Segment full = current;
        if (sync) {
            full.channel().force(false);
        }
        current = open(nextNumber++);
        written = 0;
        toCheckpoint.add(full);
    }

    /** A spare renamed to the next segment number, or a new zero-filled one. */
    private Segment open(long number) throws IOException {
        Path target = dir.resolve(number + SUFFIX);
        Path spare;
        synchronized (spares) {
            spare = spares.poll();
        }
        if (spare == null) {
            spare = newSpare();
        }
        Files.move(spare, target);
        if (sync) {
            Spool.fsyncDirectory(dir);
        }
        return new Segment(number, target, FileChannel.open(target, StandardOpenOption.WRITE,
                StandardOpenOption.READ), new AtomicInteger());
    }

    private Path newSpare() throws IOException {
        Path f;
        synchronized (spares) {
            f = dir.resolve(SPARE_PREFIX + (++spareCounter) + SUFFIX);
        }
        Path tmp = dir.resolve(f.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long p = 0; p < segmentBytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), segmentBytes - p));
                p += c.write(zeros, p);
            }
            c.force(true); // blocks really allocated and written: later overwrites change no metadata
        }
        Files.move(tmp, f);
        return f;
    }

    private void checkpointLoop() {
        while (true) {
            try {
                // the segment stays on the queue, and counted as waiting, until its checkpoint is done
                Segment s = toCheckpoint.peekFirst();
                if (s != null && (closed || toCheckpoint.size() > MAX_WAITING_SEGMENTS
                        || System.nanoTime() - lastAppend >= checkpointQuietNanos)) {
                    checkpoint(s);
                    toCheckpoint.remove(s);
                    continue;
                }
                if (s == null && closed) {
                    return;
                }
                keepOneSpare();
                Thread.sleep(s == null ? 50 : 20); // associations are still receiving: wait for a quiet moment
            } catch (InterruptedException | ClosedByInterruptException e) {
                Thread.currentThread().interrupt(); // halt()
                return;
            } catch (IOException | RuntimeException e) {
                // the segment stays first on the queue (replayed after a crash) until a checkpoint works
                log.error("event=journal_checkpoint_failed reason=\"{}\"", e.toString());
                sleepQuietly();
            }
        }
    }

    /** Keeps one spare ready, so that a rotation does not write a segment of zeros while an association waits. */
    private void keepOneSpare() throws IOException {
        boolean none;
        synchronized (spares) {
            none = spares.isEmpty();
        }
        boolean inUse;
        synchronized (appendLock) {
            inUse = current != null;
        }
        if (none && inUse && !closed) {
            Path spare = newSpare();
            synchronized (spares) {
                spares.add(spare);
            }
        }
    }

    /** Makes every spool file written from these segments durable, then turns the segments into spares. */
    private void checkpoint(Segment s) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.unwritten().get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1); // an association between its commit and its file write
        }
        if (s.unwritten().get() > 0) {
            throw new IOException("segment " + s.number() + " still has unwritten spool files; checkpoint retried");
        }
        if (sync) {
            syncFilesystem(spoolDir);
        }
        s.channel().close();
        if (Files.exists(s.file())) { // a retry after the move had already happened finds it gone
            Path spare;
            synchronized (spares) {
                spare = dir.resolve(SPARE_PREFIX + (++spareCounter) + SUFFIX);
            }
            Files.move(s.file(), spare);
            synchronized (spares) {
                spares.add(spare);
            }
        }
        if (sync) {
            Spool.fsyncDirectory(dir);
        }
        log.debug("event=journal_checkpointed segment={}", s.number());
    }

    /**
     * {@code syncfs} on the spool's filesystem (data and metadata of every file written from a segment, and their
     * directories), through coreutils since Java has no call for it.
     */
    static void syncFilesystem(Path onFilesystem) throws IOException {
        Process p = new ProcessBuilder("sync", "-f", onFilesystem.toAbsolutePath().toString()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IOException("sync -f " + onFilesystem + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing " + onFilesystem, e);
        }
    }

    /**
     * Rewrites the spool file of every verified record in the segments a crash left behind, oldest first, makes them
     * durable, and turns the segments into spares. Returns how many files were rewritten.
     */
    static int replay(Path spoolDir) throws IOException {
        Path dir = spoolDir.resolve(".journal");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                if (segmentNumber(f) >= 0) {
                    segments.add(f);
                }
            }
        }
        segments.sort((a, b) -> Long.compare(segmentNumber(a), segmentNumber(b)));
        int rewritten = 0;
        for (Path f : segments) {
            long number = segmentNumber(f);
            try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
                long at = 0;
                long size = c.size();
                ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                while (at + HEADER <= size) {
                    h.clear();
                    readFully(c, h, at);
                    h.flip();
                    if (h.getInt() != MAGIC || h.getLong() != number) {
                        break;
                    }
                    int pathLength = h.getInt();
                    int dataLength = h.getInt();
                    int crc = h.getInt();
                    if (pathLength <= 0 || pathLength > 4096 || dataLength < 0
                            || at + HEADER + pathLength + (long) dataLength > size) {
                        break;
                    }
                    ByteBuffer body = ByteBuffer.allocate(pathLength + dataLength);
                    readFully(c, body, at + HEADER);
                    CRC32C check = new CRC32C();
                    check.update(body.array(), 0, body.capacity());
                    if ((int) check.getValue() != crc) {
                        break;
                    }
                    String rel = new String(body.array(), 0, pathLength, StandardCharsets.UTF_8);
                    Path target = spoolDir.resolve(rel).normalize();
                    if (!target.startsWith(spoolDir) || rel.startsWith(".")) {
                        throw new IOException("journal record points outside the spool: " + rel);
                    }
                    Files.createDirectories(target.getParent());
                    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                        ByteBuffer data = ByteBuffer.wrap(body.array(), pathLength, dataLength);
                        while (data.hasRemaining()) {
                            out.write(data);
                        }
                    }
                    rewritten++;
                    at = nextRecord(c, at + HEADER + pathLength + dataLength, number, h);
                }
            }
        }
        if (!segments.isEmpty()) {
            syncFilesystem(spoolDir);
            long n = System.nanoTime();
            for (Path f : segments) {
                Files.move(f, dir.resolve(SPARE_PREFIX + "r" + (n++) + SUFFIX));
            }
            Spool.fsyncDirectory(dir);
            log.warn("event=journal_replayed segments={} files={}", segments.size(), rewritten);
        }
        return rewritten;
    }

    /**
     * Where the record after one ending at {@code end} starts: right there in a segment written before records were
     * page-aligned, else at the next page boundary (the bytes between are the zeros of the padding).
     */
    private static long nextRecord(FileChannel c, long end, long number, ByteBuffer h) throws IOException {
        long aligned = pageAligned(end);
        if (aligned == end || end + HEADER > c.size()) {
            return aligned;
        }
        h.clear();
        readFully(c, h, end);
        h.flip();
        return h.getInt() == MAGIC && h.getLong() == number ? end : aligned;
    }

    private static void readFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = c.read(b, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    private static long segmentNumber(Path f) {
        String name = f.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.startsWith(SPARE_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long spareNumber(String name) {
        if (!name.startsWith(SPARE_PREFIX) || !name.endsWith(SUFFIX)) {
            return 0;
        }
        try {
            return Long.parseLong(name.substring(SPARE_PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the checkpointer and leaves every segment as it is (a crash, in tests). */
    void halt() {
        synchronized (appendLock) {
            closed = true;
            toCheckpoint.clear();
        }
        checkpointer.interrupt();
        try {
            checkpointer.join(5000);
            if (current != null) {
                current.channel().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing a channel after a simulated crash; nothing to keep
        }
    }

    /** Checkpoints the current segment too, so a clean stop leaves nothing to replay. */
    @Override
    public void close() throws IOException {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                toCheckpoint.add(current);
            }
        }
        try {
            checkpointer.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
