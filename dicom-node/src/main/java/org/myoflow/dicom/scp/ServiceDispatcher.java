package org.myoflow.dicom.scp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reassembles DIMSE messages from presentation data values on one association and routes each to its service:
 * command fragments are collected, the data values of a C-STORE are read from the channel straight into the spool's
 * receipt as they arrive. Only one message is in flight per association (no asynchronous operations are negotiated).
 */
final class ServiceDispatcher {
    static final int C_STORE_RQ = 0x0001;
    static final int C_ECHO_RQ = 0x0030;
    static final int N_EVENT_REPORT_RSP = 0x8100;
    static final int N_ACTION_RQ = 0x0130;
    /** A command set is a few hundred bytes; a peer sending more is not speaking DIMSE (and must not fill memory). */
    static final int MAX_COMMAND_BYTES = 64 * 1024;
    /** A Storage Commitment request lists a study's instances, about 130 bytes each: room for 100,000 and more. */
    static final int MAX_ACTION_BYTES = 16 * 1024 * 1024;

    private final StoreService store;
    private final EchoService echo;
    private final StorageCommitmentService commitment;
    private final Map<Byte, String> transferSyntaxes;
    private final String callingAe;
    private final String association;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream(256);
    private final Set<String> studies = new LinkedHashSet<>();
    private StoreService.Transfer transfer;
    /** An N-ACTION waiting for its (small) data set. */
    private DimseCommand action;
    private final ByteArrayOutputStream actionData = new ByteArrayOutputStream();

    /**
     * @param transferSyntaxes the accepted presentation contexts: id to transfer syntax
     */
    ServiceDispatcher(StoreService store, EchoService echo, StorageCommitmentService commitment,
                      Map<Byte, String> transferSyntaxes, String callingAe, String association) {
        this.store = store;
        this.echo = echo;
        this.commitment = commitment;
        this.transferSyntaxes = transferSyntaxes;
        this.callingAe = callingAe;
        this.association = association;
    }

    /** Studies this association contributed instances to. */
    Set<String> studies() {
        return studies;
    }

    /** The association ended under an unfinished transfer: keep its bytes in quarantine with the reason. */
    void abandon(String reason) {
        if (transfer != null) {
            transfer.abandon(reason);
            transfer = null;
        }
    }

    /**
     * One presentation data value of {@code length} bytes, read here from the channel ({@link PDataChannel#readValue});
     * {@code last} marks the end of the command or data set.
     */
    void value(byte pcid, boolean isCommand, int length, boolean last, PDataChannel channel)
            throws IOException, ProtocolViolation {
        if (!transferSyntaxes.containsKey(pcid)) {
            throw new ProtocolViolation("presentation context " + (pcid & 0xff) + " was not accepted");
        }
        if (isCommand) {
            if (command.size() + length > MAX_COMMAND_BYTES) {
                throw new ProtocolViolation("DIMSE command longer than " + MAX_COMMAND_BYTES + " bytes");
            }
            readInto(command, length, channel);
            if (last) {
                byte[] bytes = command.toByteArray();
                command.reset();
                onCommand(pcid, bytes, channel);
            }
        } else if (action != null) {
            if (actionData.size() + length > MAX_ACTION_BYTES) {
                throw new ProtocolViolation("Storage Commitment request longer than " + MAX_ACTION_BYTES + " bytes");
            }
            readInto(actionData, length, channel);
            if (last) {
                DimseCommand cmd = action;
                action = null;
                byte[] data = actionData.toByteArray();
                actionData.reset();
                commitment.request(cmd, data, pcid, transferSyntaxes.get(pcid), channel, association);
            }
        } else if (transfer == null) {
            throw new ProtocolViolation("data fragment without a C-STORE request");
        } else {
            transfer.receive(length, channel);
            if (last) {
                StoreService.Transfer t = transfer;
                transfer = null;
                String study = t.finish(channel);
                if (study != null) {
                    studies.add(study);
                }
            }
        }
    }

    private static void readInto(ByteArrayOutputStream to, int length, PDataChannel channel) throws IOException {
        byte[] piece = new byte[length];
        channel.readValue(ByteBuffer.wrap(piece));
        to.write(piece, 0, length);
    }

    private void onCommand(byte pcid, byte[] bytes, PDataChannel channel) throws IOException, ProtocolViolation {
        if (transfer != null || action != null) {
            throw new ProtocolViolation("new command while a data set was still arriving");
        }
        DimseCommand cmd = DimseCommand.read(bytes, bytes.length);
        int field = cmd.field();
        boolean hasData = cmd.hasDataSet();
        switch (field) {
            case C_ECHO_RQ -> echo.answer(cmd.messageId(), pcid, channel);
            case C_STORE_RQ -> {
                if (!hasData) {
                    throw new ProtocolViolation("C-STORE-RQ without a data set");
                }
                transfer = store.begin(cmd, pcid, transferSyntaxes.get(pcid), callingAe, association);
            }
            case N_ACTION_RQ -> {
                if (!hasData || !StorageCommitmentService.SOP_CLASS.equals(cmd.requestedSopClassUid())) {
                    throw new ProtocolViolation("N-ACTION other than a Storage Commitment request");
                }
                action = cmd;
            }
            case N_EVENT_REPORT_RSP -> { } // the sender acknowledged our commitment report; nothing to do
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
