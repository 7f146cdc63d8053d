package org.myoflow.dicom.scp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * An association's socket input, telling the server's idle watch how long a read has waited for the sender. Its
 * reads block with no socket timeout: once {@code SO_TIMEOUT} is set, the JDK makes the socket non-blocking, and each
 * read that finds nothing yet becomes a failed read, a {@code poll} and a second read, on every wait for the sender's
 * next instance. The watch finds the read overdue ({@link PeerWait#overdue}) and shuts the socket's input instead:
 * the blocked read returns end of stream, and whoever reads sees it timed out. Closing it leaves the socket open
 * (the server closes it, after an A-ABORT may still have gone out).
 */
final class WatchedInput extends FilterInputStream {
    private final PeerWait wait = new PeerWait();
    /**
     * When the whole A-ASSOCIATE-RQ must have arrived (System.nanoTime), 0 once it has: the ARTIM timer of PS3.8
     * 9.1.5, so that a connection trickling its request one byte at a time, each inside the idle timeout, still ends.
     */
    private volatile long requestDeadline;
    private volatile boolean requestTimedOut;

    WatchedInput(InputStream socketIn, long requestDeadline) {
        super(socketIn);
        this.requestDeadline = requestDeadline;
    }

    /** The association request is in: the ARTIM timer stops. */
    void requestReceived() {
        requestDeadline = 0;
    }

    /** Whether the request is still not in at {@code now} past its deadline; if so it is timed out. */
    boolean requestOverdue(long now) {
        long d = requestDeadline;
        if (d != 0 && now - d > 0) {
            requestTimedOut = true;
            return true;
        }
        return false;
    }

    boolean requestTimedOut() {
        return requestTimedOut;
    }

    /** The wait of the read in progress, for the idle watch; timed out once the watch gave up on it. */
    PeerWait peerWait() {
        return wait;
    }

    @Override
    public int read() throws IOException {
        wait.begin();
        try {
            return super.read();
        } finally {
            wait.end();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        wait.begin();
        try {
            return super.read(b, off, len);
        } finally {
            wait.end();
        }
    }

    /** A read from the socket's channel (the data phase reads it straight into its buffers), watched the same way. */
    int read(ReadableByteChannel channel, ByteBuffer dst) throws IOException {
        wait.begin();
        try {
            return channel.read(dst);
        } finally {
            wait.end();
        }
    }

    @Override
    public void close() {
    }

}
