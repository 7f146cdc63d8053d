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
 * next instance. The watch calls {@link #timeOut} and shuts the socket's input instead: the blocked read returns end
 * of stream, and whoever reads sees {@link #timedOut}. Closing it leaves the socket open (the server closes it, after
 * an A-ABORT may still have gone out).
 */
final class WatchedInput extends FilterInputStream {
    /** When the read in progress began to wait (System.nanoTime), 0 while not reading. */
    private volatile long waitingSince;
    private volatile boolean timedOut;

    WatchedInput(InputStream socketIn) {
        super(socketIn);
    }

    @Override
    public int read() throws IOException {
        waitingSince = System.nanoTime();
        try {
            return super.read();
        } finally {
            waitingSince = 0;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return super.read(b, off, len);
        } finally {
            waitingSince = 0;
        }
    }

    /** A read from the socket's channel (the data phase reads it straight into its buffers), watched the same way. */
    int read(ReadableByteChannel channel, ByteBuffer dst) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return channel.read(dst);
        } finally {
            waitingSince = 0;
        }
    }

    @Override
    public void close() {
    }

    long waitingSince() {
        return waitingSince;
    }

    void timeOut() {
        timedOut = true;
    }

    boolean timedOut() {
        return timedOut;
    }
}
