package org.myoflow.dicom.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The free space the spool keeps on its file system: a journaled instance is answered before its spool file is
 * written, so that write must not find the disk full. Below the reserve no new instance is taken. The usable space
 * is read ({@code statvfs}) at most every 50 ms while it is more than 64 MB above the reserve (less what the spool
 * stored since the reading), on every check nearer to it: a reading per instance was a {@code statvfs} on every
 * acknowledgement's path.
 */
final class FreeSpaceReserve {
    private static final Logger log = LoggerFactory.getLogger(FreeSpaceReserve.class);
    private static final long MB = 1024 * 1024;
    /** How long a reading stands in for the next ones (less what the spool stored since). */
    private static final long READING_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How far above the reserve a reading must stay to stand in: more than this disk can write in that time. */
    private static final long READING_MARGIN = 64 * MB;

    private final FileStore fileStore;
    private final Path spoolDir;
    private final long minFreeBytes;
    private volatile boolean below;
    private volatile long read = -1;
    private volatile long readAt;
    private final AtomicLong storedSinceReading = new AtomicLong();

    /** @param minFreeBytes below this much usable space new instances are refused (0: no reserve) */
    FreeSpaceReserve(FileStore fileStore, Path spoolDir, long minFreeBytes) {
        this.fileStore = fileStore;
        this.spoolDir = spoolDir;
        this.minFreeBytes = minFreeBytes;
    }

    /** Why the reserve refuses a new instance now, or null. Logs each crossing of the reserve, not every check. */
    String refusal() {
        if (minFreeBytes <= 0) {
            return null;
        }
        long usable = recentUsable();
        if (usable < 0) {
            return "the spool's free space cannot be read";
        }
        boolean isBelow = usable < minFreeBytes;
        if (isBelow != below) {
            below = isBelow;
            if (isBelow) {
                log.error("event=spool_space_low usableMb={} reserveMb={} spool={} action=\"new instances refused "
                        + "(0xA700) until space is freed\"", usable / MB, minFreeBytes / MB, spoolDir);
            } else {
                log.info("event=spool_space_recovered usableMb={} reserveMb={}", usable / MB, minFreeBytes / MB);
            }
        }
        return isBelow ? "storage full: " + usable / MB + " MB usable on the spool's file system, below its reserve of "
                + minFreeBytes / MB + " MB" : null;
    }

    /** The spool stored this many more bytes (taken off the last reading until the next). */
    void stored(long bytes) {
        storedSinceReading.addAndGet(bytes);
    }

    /** Usable bytes on the file system now (-1 when unreadable). */
    long usableBytes() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The usable space from a reading of the last 50 ms less what was stored since, while well above the reserve. */
    private long recentUsable() {
        long now = System.nanoTime();
        long last = read;
        if (last >= 0 && now - readAt < READING_NANOS) {
            long estimate = last - storedSinceReading.get();
            if (estimate >= minFreeBytes + READING_MARGIN) {
                return estimate;
            }
        }
        storedSinceReading.set(0);
        long usable = usableBytes();
        readAt = now;
        read = usable;
        return usable;
    }
}
