package org.myoflow.dicom.scp;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import com.pixelmed.network.CompositeResponseHandler;
import org.myoflow.dicom.Attrs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reassembles DIMSE messages from P-DATA fragments on one association and routes each to its service: command
 * fragments are collected, data fragments of a C-STORE go straight to the spool as they arrive (no whole-object
 * buffer). Only one message is in flight per association (no asynchronous operations are negotiated).
 * PixelMed's handler base class has no public constructor; its public {@code CompositeResponseHandler} subclass is
 * extended instead, with all of its behaviour overridden.
 */
final class ServiceDispatcher extends CompositeResponseHandler {
    static final int C_STORE_RQ = 0x0001;
    static final int C_ECHO_RQ = 0x0030;
    private static final int NO_DATA_SET = 0x0101;

    private final StoreService store;
    private final EchoService echo;
    private final String callingAe;
    private final String association;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream(256);
    private final Set<String> studies = new LinkedHashSet<>();
    private StoreService.Transfer transfer;
    private ProtocolViolation violation;

    ServiceDispatcher(StoreService store, EchoService echo, String callingAe, String association) {
        this.store = store;
        this.echo = echo;
        this.callingAe = callingAe;
        this.association = association;
    }

    /** Studies this association contributed instances to. */
    Set<String> studies() {
        return studies;
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // an SCP receives requests, not responses
    }

    /** Set when the peer broke the protocol; the session aborts the association. */
    ProtocolViolation violation() {
        return violation;
    }

    /** The association ended under an unfinished transfer: keep its bytes in quarantine with the reason. */
    void abandon(String reason) {
        if (transfer != null) {
            transfer.abandon(reason);
            transfer = null;
        }
    }

    @Override
    public void sendPDataIndication(PDataPDU pdu, Association a) throws DicomNetworkException {
        try {
            for (Object o : pdu.getPDVList()) {
                PresentationDataValue pdv = (PresentationDataValue) o;
                byte[] value = pdv.getValue();
                if (pdv.isCommand()) {
                    command.write(value, 0, value.length);
                    if (pdv.isLastFragment()) {
                        byte[] bytes = command.toByteArray();
                        command.reset();
                        onCommand(pdv.getPresentationContextID(), bytes, a);
                    }
                } else if (transfer == null) {
                    throw new ProtocolViolation("data fragment without a C-STORE request");
                } else {
                    transfer.write(value);
                    if (pdv.isLastFragment()) {
                        StoreService.Transfer t = transfer;
                        transfer = null;
                        String study = t.finish(a);
                        if (study != null) {
                            studies.add(study);
                        }
                    }
                }
            }
        } catch (ProtocolViolation e) {
            violation = e;
            setDone(true);
        } catch (IOException | DicomException | RuntimeException e) {
            // Never let an exception escape into PixelMed: it would leave the sender waiting for a response.
            violation = new ProtocolViolation("cannot process message: " + e);
            setDone(true);
        }
    }

    private void onCommand(byte pcid, byte[] bytes, Association a)
            throws IOException, DicomException, DicomNetworkException, ProtocolViolation {
        AttributeList cmd = new AttributeList();
        cmd.read(new DicomInputStream(new ByteArrayInputStream(bytes), TransferSyntax.ImplicitVRLittleEndian, false));
        int field = Attrs.integer(cmd, TagFromName.CommandField, -1);
        boolean hasData = Attrs.integer(cmd, TagFromName.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
        if (transfer != null) {
            throw new ProtocolViolation("new command while a data set was still arriving");
        }
        switch (field) {
            case C_ECHO_RQ -> echo.answer(cmd, pcid, a);
            case C_STORE_RQ -> {
                if (!hasData) {
                    throw new ProtocolViolation("C-STORE-RQ without a data set");
                }
                transfer = store.begin(cmd, pcid, a, callingAe, association);
            }
            default -> throw new ProtocolViolation(String.format("unsupported DIMSE command 0x%04x", field));
        }
    }

    /** The peer sent something this SCP does not do; the association is aborted. */
    static final class ProtocolViolation extends Exception {
        ProtocolViolation(String message) {
            super(message);
        }
    }
}
