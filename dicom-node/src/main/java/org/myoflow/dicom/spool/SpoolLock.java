package org.myoflow.dicom.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One spool, one node. Two nodes on one storage root would each replay and recycle the same journal segments, index
 * the same files and number the same studies' revisions, so the second would announce revisions the first is still
 * writing. The lock is the operating system's ({@code fcntl}) on {@code spool/.lock}: it ends with the process that
 * holds it, so a node that was killed leaves nothing stale for the next start to clear by hand.
 */
final class SpoolLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private SpoolLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the spool for this process, or says which node has it. */
    static SpoolLock take(Path spoolDir) throws IOException {
        Path file = spoolDir.resolve(FILE);
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock l;
            try {
                l = c.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // a node in this same process holds it
            }
            if (l == null) {
                throw new IOException("the spool " + spoolDir.toAbsolutePath() + " is in use by another Myoflow node ("
                        + holder(c) + "): a storage root serves one node at a time; stop that node, or give this "
                        + "one a storage root of its own");
            }
            byte[] who = ("pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            c.truncate(0);
            c.write(ByteBuffer.wrap(who), 0);
            return new SpoolLock(c, l);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** What the holder wrote in the lock file: its process id and since when. */
    private static String holder(FileChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        c.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? "it has not said which" : s;
    }

    /** Gives the spool up (a crash gives it up the same way). The file stays: removing it would race a next taker. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
