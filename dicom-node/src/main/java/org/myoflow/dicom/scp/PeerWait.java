package org.myoflow.dicom.scp;

/**
 * How long an association's read or write has been waiting for its peer, for the server's idle watch, and whether the
 * watch gave up on it. Socket reads and writes block with no timeout of their own ({@link WatchedInput},
 * {@link WatchedOutput}); the watch ends those that wait too long.
 */
final class PeerWait {
    /** When the wait in progress began (System.nanoTime), 0 while not waiting. */
    private volatile long since;
    private volatile boolean timedOut;

    void begin() {
        since = System.nanoTime();
    }

    void end() {
        since = 0;
    }

    /** Whether a wait in progress began more than {@code limitNanos} before {@code now}; if so it is timed out. */
    boolean overdue(long now, long limitNanos) {
        long s = since;
        if (s != 0 && now - s > limitNanos) {
            timedOut = true;
            return true;
        }
        return false;
    }

    boolean timedOut() {
        return timedOut;
    }
}
