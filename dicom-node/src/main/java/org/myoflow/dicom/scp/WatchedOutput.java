package org.myoflow.dicom.scp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An association's socket output, telling the server's idle watch how long a write has waited for the peer to read:
 * a sender that stops reading our answers fills the socket's buffers, and the next answer's write would block for
 * good, holding the association (and its slot) while nothing moves. The watch finds the write overdue
 * ({@link PeerWait#overdue}) and closes the socket; the blocked write fails and the association ends. Closing this
 * stream leaves the socket open.
 */
final class WatchedOutput extends FilterOutputStream {
    private final PeerWait wait = new PeerWait();

    WatchedOutput(OutputStream socketOut) {
        super(socketOut);
    }

    /** The wait of the write in progress, for the idle watch; timed out once the watch gave up on it. */
    PeerWait peerWait() {
        return wait;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        wait.begin();
        try {
            out.write(b, off, len);
        } finally {
            wait.end();
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
    }

}
