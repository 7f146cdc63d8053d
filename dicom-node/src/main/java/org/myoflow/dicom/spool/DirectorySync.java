package org.myoflow.dicom.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Group commit for directory entries: renames into {@code spool/<study>/<series>/} are made durable by one fsync per
 * directory every few milliseconds, off the C-STORE response path. An acknowledged instance never depends on it: until
 * its rename is durable the instance is still a complete, fsynced part in {@code .incoming/}, which startup recovery
 * moves into place. {@link #flush()} is called before anything is recorded about the instances (a study revision).
 */
final class DirectorySync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DirectorySync.class);
    private static final long INTERVAL_MS = 20;

    private final Set<Path> dirty = new LinkedHashSet<>();
    private final Thread thread;
    private volatile boolean closed;

    DirectorySync() {
        thread = new Thread(this::loop, "spool-directory-sync");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void dirty(Path dir) {
        dirty.add(dir);
    }

    /** Makes every pending directory change durable now. */
    void flush() throws IOException {
        Set<Path> todo;
        synchronized (this) {
            todo = new LinkedHashSet<>(dirty);
            dirty.clear();
        }
        IOException first = null;
        for (Path d : todo) {
            try {
                Spool.fsyncDirectory(d);
            } catch (IOException e) {
                dirty(d);
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL_MS);
                flush();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.error("event=directory_sync_failed reason=\"{}\"", e.toString());
            }
        }
    }

    /** Stops without a last flush (a crash, in tests). */
    void halt() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        flush();
    }
}
