package org.myoflow.dicom.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Empty part files created ahead of time in {@code spool/.incoming/}, their directory entries made durable in
 * batches (one directory fsync per batch). A receipt then needs a single fsync of its own file before the instance
 * is durable, instead of a file fsync plus a directory fsync on the response path.
 */
final class IncomingParts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IncomingParts.class);
    private static final int LOW_WATER = 32;
    private static final int BATCH = 64;

    private final Path dir;
    private final LinkedBlockingQueue<Path> ready = new LinkedBlockingQueue<>();
    private final AtomicLong counter = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Thread refiller;
    private volatile boolean closed;

    IncomingParts(Path dir) throws IOException {
        this.dir = dir;
        refill();
        refiller = new Thread(this::refillLoop, "spool-part-refill");
        refiller.setDaemon(true);
        refiller.start();
    }

    /** A durable, empty part file for one receipt. */
    Path take() throws IOException {
        Path p = ready.poll();
        if (ready.size() < LOW_WATER) {
            synchronized (this) {
                notifyAll();
            }
        }
        if (p == null) { // refill fell behind: make one on the spot, durably
            p = create();
            Spool.fsyncDirectory(dir);
        }
        return p;
    }

    private Path create() throws IOException {
        return Files.createFile(dir.resolve(counter.incrementAndGet() + ".part"));
    }

    private void refill() throws IOException {
        java.util.List<Path> batch = new java.util.ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(create());
        }
        Spool.fsyncDirectory(dir);
        ready.addAll(batch);
    }

    private void refillLoop() {
        while (!closed) {
            try {
                synchronized (this) {
                    while (!closed && ready.size() >= LOW_WATER) {
                        wait(1000);
                    }
                }
                if (!closed) {
                    refill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                log.error("event=part_refill_failed dir={} reason=\"{}\"", dir, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops refilling and leaves everything as it is (a crash, in tests). */
    void halt() {
        closed = true;
        refiller.interrupt();
        try {
            refiller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops refilling and removes the unused empty parts. */
    @Override
    public void close() {
        closed = true;
        refiller.interrupt();
        for (Path p; (p = ready.poll()) != null; ) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // an empty leftover is removed at the next start
            }
        }
    }
}
