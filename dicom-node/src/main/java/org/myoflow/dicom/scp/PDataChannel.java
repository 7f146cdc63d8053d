package org.myoflow.dicom.scp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The data-transfer phase of an association, after PixelMed negotiated it: reads P-DATA-TF PDUs straight off the
 * socket and hands each presentation data value to the dispatcher as it arrives, data fragments in pieces from one
 * reusable buffer (no per-PDU or per-fragment arrays: PixelMed's own reader copied every byte twice, byte by byte,
 * and capped ingest at about a quarter of dcmtk's); answers A-RELEASE-RQ and notices A-ABORT (PS3.8 9.3).
 * The idle timeout is the server's watch ({@link WatchedInput}): a read it ended is a timed-out association.
 */
final class PDataChannel {
    /** How the association ended. */
    enum End { RELEASED, ABORTED_BY_PEER, CLOSED, TIMED_OUT }

    private static final int P_DATA_TF = 0x04;
    private static final int A_RELEASE_RQ = 0x05;
    private static final int A_ABORT = 0x07;

    private final DataInputStream in;
    private final OutputStream out;
    private final WatchedInput watch;
    private final byte[] buffer = new byte[64 * 1024];
    private final int maxPduLength;
    private boolean aborted;

    /** @param watch the association's socket input under {@code socketIn}, to tell a timed-out end from others */
    PDataChannel(InputStream socketIn, OutputStream socketOut, int maxPduLength, WatchedInput watch) {
        this.in = new DataInputStream(new BufferedInputStream(socketIn, 128 * 1024));
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
            return watch.timedOut() && end == End.CLOSED ? timedOutNow() : end;
        } catch (IOException e) {
            if (watch.timedOut()) { // the watch shut the input: end of stream, mid-PDU or between PDUs
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
            int type;
            try {
                type = in.readUnsignedByte();
            } catch (EOFException e) {
                return End.CLOSED;
            }
            in.readUnsignedByte();
            long length = Integer.toUnsignedLong(in.readInt());
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
                    in.skipNBytes(length);
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
            long itemLength = Integer.toUnsignedLong(in.readInt());
            byte pcid = in.readByte();
            int header = in.readUnsignedByte();
            if (itemLength < 2 || itemLength + 4 > remaining) {
                throw violation("PDV item length " + itemLength + " does not fit its PDU");
            }
            boolean command = (header & 0x01) != 0;
            boolean last = (header & 0x02) != 0;
            long value = itemLength - 2;
            if (value == 0) {
                dispatcher.fragment(pcid, command, buffer, 0, 0, last, this);
            }
            while (value > 0) {
                int n = (int) Math.min(value, buffer.length);
                in.readFully(buffer, 0, n);
                value -= n;
                dispatcher.fragment(pcid, command, buffer, 0, n, last && value == 0, this);
            }
            remaining -= itemLength + 4;
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
