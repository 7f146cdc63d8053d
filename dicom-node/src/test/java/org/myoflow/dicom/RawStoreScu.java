package org.myoflow.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.PresentationContext;
import java.io.OutputStream;
import java.util.LinkedList;

/**
 * A C-STORE SCU for misbehaviour tests, on PixelMed's association initiator: it sends data set bytes exactly as
 * given (truncated, mismatched, cut off mid-transfer), which dcmtk's storescu refuses to do.
 */
public final class RawStoreScu implements AutoCloseable {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private final Association a;

    public RawStoreScu(int port, String sopClassUid) throws Exception {
        LinkedList<PresentationContext> pcs = new LinkedList<>();
        pcs.add(new PresentationContext((byte) 1, sopClassUid, EXPLICIT_LE));
        a = AssociationFactory.createNewAssociation("127.0.0.1", port, "MYOFLOW", "RAWSCU", pcs, null, false);
    }

    /** Sends one complete C-STORE (command, then all of {@code dataSet} as explicit VR LE) and returns its status. */
    public int store(String requestSopClass, String requestSopInstance, byte[] dataSet) throws Exception {
        byte pcid = (byte) 1;
        byte[] cmd = new CStoreRequestCommandMessage(requestSopClass, requestSopInstance).getBytes();
        a.send(pcid, cmd, dataSet);
        Status status = new Status();
        a.setReceivedDataHandler(status);
        a.waitForCommandPDataPDUs();
        return status.status;
    }

    /** Sends {@code command} as a DIMSE command (no data set) and waits for what comes back. */
    public void sendCommand(byte[] command) throws Exception {
        a.send((byte) 1, command, null);
        a.setReceivedDataHandler(new Status());
        a.waitForCommandPDataPDUs();
    }

    /**
     * Sends the same C-STORE {@code count} times and never reads an answer: a sender that stops reading. Returns how
     * many went out before a send failed (the node gave up on us), or {@code count}.
     */
    public int storeWithoutReading(String sopClass, String sopInstance, byte[] dataSet, int count) {
        byte[] cmd;
        try {
            cmd = new CStoreRequestCommandMessage(sopClass, sopInstance).getBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < count; i++) {
            try {
                a.send((byte) 1, cmd, dataSet);
            } catch (Exception e) {
                return i;
            }
        }
        return count;
    }

    /** Sends the command and only the first {@code bytes} of the data set (never its last fragment), then aborts. */
    public void storePartThenAbort(String sopClass, String sopInstance, byte[] dataSet, int bytes) throws Exception {
        storePart(sopClass, sopInstance, dataSet, bytes);
        Thread.sleep(200); // let the node receive the fragments before the abort arrives
        a.abort();
    }

    /** Sends the command and only the first {@code bytes} of the data set, then nothing: a sender that hangs. */
    public void storePart(String sopClass, String sopInstance, byte[] dataSet, int bytes) throws Exception {
        byte pcid = (byte) 1;
        a.send(pcid, new CStoreRequestCommandMessage(sopClass, sopInstance).getBytes(), null);
        OutputStream out = a.getAssociationOutputStream(pcid);
        out.write(dataSet, 0, bytes);
        out.flush();
    }

    @Override
    public void close() throws Exception {
        a.release();
    }

    private static final class Status extends CompositeResponseHandler {
        int status = -1;

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attrs.integer(list, TagFromName.Status, -1);
            success = status == 0;
        }
    }
}
