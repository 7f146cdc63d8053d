package org.myoflow.dicom.scp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The data-transfer phase of an association, after PixelMed negotiated it: reads P-DATA-TF PDUs straight off the
 * socket channel and lets the dispatcher read each presentation data value where it belongs ({@link #readValue}):
 * a C-STORE's data set goes from the socket into the spool's buffer in one copy, the kernel's, which the journal and
 * the spool file are then written from (PixelMed's own reader copied every byte twice, byte by byte, and capped
 * ingest at about a quarter of dcmtk's; a socket stream and buffered streams cost three more copies of every byte).
 * Answers A-RELEASE-RQ and notices A-ABORT (PS3.8 9.3). The idle timeout is the server's watch
 * ({@link WatchedInput}): a read it ended is a timed-out association.
 */
final class PDataChannel {
    /** How the association ended. */
    enum End { RELEASED, ABORTED_BY_PEER, CLOSED, TIMED_OUT }

    private static final int P_DATA_TF = 0x04;
    private static final int A_RELEASE_RQ = 0x05;
    private static final int A_ABORT = 0x07;
    /**
     * A value with at least this much still to come is read straight into its destination; a shorter rest goes
     * through {@link #in}, so that one read also takes the PDU headers behind it.
     */
    private static final int DIRECT_READ = 8 * 1024;

    private final SocketChannel socket;
    private final OutputStream out;
    private final WatchedInput watch;
    /**
     * The size of {@link #in}: a small instance and the command before it come in one read, and of a long value only
     * that much is copied from there (the rest is read straight into its destination); at 64 KB, half of each 128 KB
     * PDU storescu sends was copied.
     */
    static final int READ_BUFFER = 16 * 1024;
    /** Bytes read from the socket and not consumed yet (read mode between reads). */
    private final ByteBuffer in;
    private final int maxPduLength;
    /** What the dispatcher has still to read of the current presentation data value. */
    private long valueLeft;
    private boolean aborted;

    /**
     * @param socket the association's socket channel, blocking, nothing of the data phase read from it yet
     * @param watch the association's socket input, to mark reads for the idle watch and tell a timed-out end
     * @param readBuffer a direct buffer of {@link #READ_BUFFER} bytes, this channel's until it is done
     */
    PDataChannel(SocketChannel socket, OutputStream socketOut, int maxPduLength, WatchedInput watch,
                 ByteBuffer readBuffer) {
        this.socket = socket;
        this.in = readBuffer.clear().flip();
        this.watch = watch;
        this.out = new BufferedOutputStream(socketOut, 8192);
        this.maxPduLength = maxPduLength;
    }

    /**
     * Reads PDUs until release, abort, the idle timeout (the watch ended the read: answered with an A-ABORT) or a
     * protocol violation (answered with an A-ABORT and thrown).
     */
    End run(ServiceDispatcher dispatcher) throws IOException, ServiceDispatcher.ProtocolViolation {
        try {
            End end = readPdus(dispatcher);
            return watch.peerWait().timedOut() && end == End.CLOSED ? timedOutNow() : end;
        } catch (IOException e) {
            if (watch.peerWait().timedOut()) { // the watch shut the input: end of stream, mid-PDU or between PDUs
                return timedOutNow();
            }
            throw e;
        }
    }

    private End timedOutNow() {
        abort(0);
        return End.TIMED_OUT;
    }

    private End readPdus(ServiceDispatcher dispatcher) throws IOException, ServiceDispatcher.ProtocolViolation {
        while (true) {
            if (!in.hasRemaining() && refill() < 0) {
                return End.CLOSED;
            }
            need(6);
            int type = in.get() & 0xff;
            in.get();
            long length = Integer.toUnsignedLong(in.getInt());
            switch (type) {
                case P_DATA_TF -> {
                    if (length > maxPduLength + 6L) {
                        throw violation("P-DATA-TF of " + length + " bytes exceeds our maximum " + maxPduLength);
                    }
                    try {
                        readPData(length, dispatcher);
                    } catch (ServiceDispatcher.ProtocolViolation e) {
                        abort(0); // a DIMSE-level violation: reason not specified (a PDU-level one was sent already)
                        throw e;
                    }
                }
                case A_RELEASE_RQ -> {
                    skip(length);
                    out.write(new byte[] {0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0});
                    out.flush();
                    return End.RELEASED;
                }
                case A_ABORT -> {
                    return End.ABORTED_BY_PEER;
                }
                default -> throw violation(String.format("unexpected PDU type 0x%02x during data transfer", type));
            }
        }
    }

    private void readPData(long length, ServiceDispatcher dispatcher)
            throws IOException, ServiceDispatcher.ProtocolViolation {
        long remaining = length;
        while (remaining > 0) {
            if (remaining < 6) {
                throw violation("P-DATA-TF item header cut off");
            }
            need(6);
            long itemLength = Integer.toUnsignedLong(in.getInt());
            byte pcid = in.get();
            int header = in.get() & 0xff;
            if (itemLength < 2 || itemLength + 4 > remaining) {
                throw violation("PDV item length " + itemLength + " does not fit its PDU");
            }
            boolean command = (header & 0x01) != 0;
            boolean last = (header & 0x02) != 0;
            valueLeft = itemLength - 2;
            dispatcher.value(pcid, command, (int) valueLeft, last, this);
            if (valueLeft != 0) {
                throw new IllegalStateException("dispatcher left " + valueLeft + " bytes of a value unread");
            }
            remaining -= itemLength + 4;
        }
    }

    /**
     * Reads the next {@code dst.remaining()} bytes of the current presentation data value into {@code dst}; no more
     * than the value has left.
     */
    void readValue(ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        if (n > valueLeft) {
            throw new IllegalArgumentException(n + " bytes asked of a value with " + valueLeft + " left");
        }
        valueLeft -= n;
        take(dst);
        while (dst.hasRemaining()) {
            if (dst.remaining() >= DIRECT_READ) {
                if (watch.read(socket, dst) < 0) {
                    throw new EOFException("connection closed inside a presentation data value");
                }
            } else {
                if (refill() < 0) {
                    throw new EOFException("connection closed inside a presentation data value");
                }
                take(dst);
            }
        }
    }

    /** Moves what {@link #in} holds, up to what {@code dst} has room for. */
    private void take(ByteBuffer dst) {
        int n = Math.min(in.remaining(), dst.remaining());
        if (n > 0) {
            dst.put(dst.position(), in, in.position(), n);
            dst.position(dst.position() + n);
            in.position(in.position() + n);
        }
    }

    /** Reads until {@link #in} holds at least {@code n} bytes. */
    private void need(int n) throws IOException {
        while (in.remaining() < n) {
            if (refill() < 0) {
                throw new EOFException("connection closed inside a PDU");
            }
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            need(1);
            int k = (int) Math.min(n, in.remaining());
            in.position(in.position() + k);
            n -= k;
        }
    }

    /** One read from the socket behind what {@link #in} holds; -1 at end of stream. */
    private int refill() throws IOException {
        in.compact();
        try {
            return watch.read(socket, in);
        } finally {
            in.flip();
        }
    }

    /** Sends one complete DIMSE command (a response) as a single P-DATA-TF. */
    void sendCommand(byte pcid, byte[] command) throws IOException {
        int item = command.length + 2;
        int pdu = item + 4;
        out.write(new byte[] {P_DATA_TF, 0, (byte) (pdu >>> 24), (byte) (pdu >>> 16), (byte) (pdu >>> 8), (byte) pdu,
            (byte) (item >>> 24), (byte) (item >>> 16), (byte) (item >>> 8), (byte) item, pcid, 0x03});
        out.write(command);
        out.flush();
    }

    /** Sends a data set as data PDVs of at most 16 KB (every SCU accepts PDUs that size), the last one flagged. */
    void sendData(byte pcid, byte[] data) throws IOException {
        int chunk = 16 * 1024 - 12;
        int off = 0;
        do {
            int n = Math.min(chunk, data.length - off);
            boolean last = off + n == data.length;
            int item = n + 2;
            int pdu = item + 4;
            out.write(new byte[] {P_DATA_TF, 0, (byte) (pdu >>> 24), (byte) (pdu >>> 16), (byte) (pdu >>> 8),
                (byte) pdu, (byte) (item >>> 24), (byte) (item >>> 16), (byte) (item >>> 8), (byte) item, pcid,
                (byte) (last ? 0x02 : 0x00)});
            out.write(data, off, n);
            off += n;
        } while (off < data.length);
        out.flush();
    }

    /**
     * A-ABORT from the service provider (source 2) with the given reason (0 not specified, 6 invalid PDU parameter);
     * sent once.
     */
    void abort(int reason) {
        if (aborted) {
            return;
        }
        aborted = true;
        try {
            out.write(new byte[] {A_ABORT, 0, 0, 0, 0, 4, 0, 0, 2, (byte) reason});
            out.flush();
        } catch (IOException e) {
            // the peer is gone already; the connection is closed next either way
        }
    }

    private ServiceDispatcher.ProtocolViolation violation(String message) {
        abort(6); // invalid-PDU-parameter value
        return new ServiceDispatcher.ProtocolViolation(message);
    }
}
