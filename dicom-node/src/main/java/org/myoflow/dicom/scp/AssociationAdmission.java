package org.myoflow.dicom.scp;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Reads the A-ASSOCIATE-RQ before the toolkit does, to turn away callers PixelMed would let in: unknown calling AE
 * titles and associations beyond the configured limit, each with its PS3.8 reject reason. Anything that is not an
 * A-ASSOCIATE-RQ (garbage on the port) is answered with an A-ABORT and closed.
 */
final class AssociationAdmission {
    /** The fixed part of an A-ASSOCIATE-RQ: protocol version, reserved, called and calling AE, reserved (PS3.8 9.3.2). */
    private static final int FIXED_FIELDS = 68;
    private static final int MAX_REQUEST = 1 << 20;

    /** A verdict on one connection; {@code socket} replays the request to the toolkit when admitted. */
    record Verdict(boolean admitted, String callingAe, String calledAe, String refusal, Socket socket) {
    }

    private AssociationAdmission() {
    }

    /**
     * @param input the socket's input, which leaves the socket open when closed ({@link WatchedInput})
     * @param out the socket's output, likewise ({@link WatchedOutput}); the toolkit writes to it too
     * @param takeSlot takes one of the association slots if one is free; asked only once the whole request is in and
     *                 its AE titles are accepted, so a connection that sends nothing holds none. An admitted verdict
     *                 holds the slot it took, a refused one none.
     */
    static Verdict examine(Socket socket, InputStream input, OutputStream out, ScpConfig config,
                           BooleanSupplier takeSlot) throws IOException {
        DataInputStream in = new DataInputStream(input);
        byte[] header = new byte[6];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            return new Verdict(false, "", "", "connection closed before an A-ASSOCIATE-RQ", null);
        }
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
                | (header[5] & 0xff);
        if (header[0] != 0x01 || length < FIXED_FIELDS || length > MAX_REQUEST) {
            abort(out);
            return new Verdict(false, "", "", String.format("not an A-ASSOCIATE-RQ (PDU type 0x%02x, length %d)",
                    header[0], length), null);
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        String called = aeTitle(body, 4);
        String calling = aeTitle(body, 20);
        if (!called.equals(config.aeTitle())) {
            reject(out, 1, 1, 7);
            return new Verdict(false, calling, called, "called AE title '" + called + "' is not ours", null);
        }
        if (!validAeTitle(calling)) {
            reject(out, 1, 1, 3);
            return new Verdict(false, calling, called, "calling AE title '" + calling + "' is not an AE title "
                    + "(PS3.8 9.3.2: ISO 646 characters without backslash or control characters, not all spaces)",
                    null);
        }
        if (!config.allowedCallingAeTitles().isEmpty() && !config.allowedCallingAeTitles().contains(calling)) {
            reject(out, 1, 1, 3);
            return new Verdict(false, calling, called, "calling AE title '" + calling + "' is not allowed", null);
        }
        if (!takeSlot.getAsBoolean()) {
            reject(out, 2, 3, 2);
            return new Verdict(false, calling, called, "more than " + config.maxAssociations()
                    + " concurrent associations", null);
        }
        byte[] request = new byte[header.length + body.length];
        System.arraycopy(header, 0, request, 0, header.length);
        System.arraycopy(body, 0, request, header.length, body.length);
        // SequenceInputStream closes a stream it has read to its end (a stop shutting the input down); the input
        // leaves the socket open then, so that the A-ABORT can still go out. serve() closes it.
        return new Verdict(true, calling, called, null, new ReplayingSocket(socket,
                new SequenceInputStream(new ByteArrayInputStream(request), input), out));
    }

    /**
     * An AE title field as the logs and events show it: leading and trailing spaces dropped (not significant; NULs
     * too, which some older devices pad with), any other byte outside printable ASCII written as {@code \xNN}, so
     * that a sender's bytes can never split or forge a log line.
     */
    private static String aeTitle(byte[] body, int offset) {
        int from = offset;
        int to = offset + 16;
        while (from < to && (body[from] & 0xff) <= 0x20) {
            from++;
        }
        while (to > from && (body[to - 1] & 0xff) <= 0x20) {
            to--;
        }
        StringBuilder b = new StringBuilder(16);
        for (int i = from; i < to; i++) {
            int c = body[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.toString();
    }

    /** Printable ISO 646 only (no escapes were needed), no backslash, not empty (16 spaces mean "no name"). */
    private static boolean validAeTitle(String title) {
        return !title.isEmpty() && title.indexOf('\\') < 0;
    }

    /** A-ASSOCIATE-RJ: result (1 permanent, 2 transient), source, reason (PS3.8 9.3.4). */
    private static void reject(OutputStream out, int result, int source, int reason) throws IOException {
        out.write(new byte[] {0x03, 0, 0, 0, 0, 4, 0, (byte) result, (byte) source, (byte) reason});
        out.flush();
    }

    /** A-ABORT from the service provider, reason "unrecognized PDU" (PS3.8 9.3.8). */
    private static void abort(OutputStream out) throws IOException {
        abort(out, 1);
    }

    private static void abort(OutputStream out, int reason) throws IOException {
        out.write(new byte[] {0x07, 0, 0, 0, 0, 4, 0, 0, 2, (byte) reason});
        out.flush();
    }

    /**
     * A-ABORT from the service provider, reason "invalid PDU parameter value": for an A-ASSOCIATE-RQ whose items the
     * toolkit could not parse (PS3.8 9.2 AA-1: the sender learns that its request was refused, not merely that the
     * connection dropped). A peer already gone is no error.
     */
    static void abortMalformedRequest(OutputStream out) {
        try {
            abort(out, 6);
        } catch (IOException e) {
            // the connection is closed next either way
        }
    }

    /** The accepted socket with the already-read request put back in front of its input, its output watched. */
    private static final class ReplayingSocket extends Socket {
        private final Socket s;
        private final InputStream in;
        private final OutputStream out;

        ReplayingSocket(Socket s, InputStream in, OutputStream out) {
            this.s = s;
            this.in = in;
            this.out = out;
        }

        @Override public InputStream getInputStream() { return in; }
        @Override public OutputStream getOutputStream() { return out; }
        @Override public synchronized void close() throws IOException { s.close(); }
        @Override public void shutdownOutput() throws IOException { s.shutdownOutput(); }
        @Override public void shutdownInput() throws IOException { s.shutdownInput(); }
        @Override public boolean isClosed() { return s.isClosed(); }
        @Override public boolean isConnected() { return s.isConnected(); }
        @Override public java.net.InetAddress getInetAddress() { return s.getInetAddress(); }
        @Override public java.net.InetAddress getLocalAddress() { return s.getLocalAddress(); }
        @Override public int getPort() { return s.getPort(); }
        @Override public int getLocalPort() { return s.getLocalPort(); }
        @Override public java.net.SocketAddress getRemoteSocketAddress() { return s.getRemoteSocketAddress(); }
        @Override public java.net.SocketAddress getLocalSocketAddress() { return s.getLocalSocketAddress(); }
        @Override public synchronized int getReceiveBufferSize() throws java.net.SocketException { return s.getReceiveBufferSize(); }
        @Override public synchronized void setReceiveBufferSize(int n) throws java.net.SocketException { s.setReceiveBufferSize(n); }
        @Override public synchronized int getSendBufferSize() throws java.net.SocketException { return s.getSendBufferSize(); }
        @Override public synchronized void setSendBufferSize(int n) throws java.net.SocketException { s.setSendBufferSize(n); }
        @Override public synchronized int getSoTimeout() throws java.net.SocketException { return s.getSoTimeout(); }
        // PixelMed sets one while it negotiates; not passed on: the server's idle watch keeps the timeout, and a
        // socket that has read with one stays non-blocking, two more syscalls a wait (WatchedInput)
        @Override public synchronized void setSoTimeout(int t) { }
        @Override public int getSoLinger() throws java.net.SocketException { return s.getSoLinger(); }
        @Override public void setSoLinger(boolean on, int t) throws java.net.SocketException { s.setSoLinger(on, t); }
        @Override public boolean getTcpNoDelay() throws java.net.SocketException { return s.getTcpNoDelay(); }
        @Override public void setTcpNoDelay(boolean on) throws java.net.SocketException { s.setTcpNoDelay(on); }
        @Override public String toString() { return s.toString(); }
    }
}
