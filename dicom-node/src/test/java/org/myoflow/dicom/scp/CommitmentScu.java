package org.myoflow.dicom.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.myoflow.dicom.Attrs.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.PresentationContext;
import java.util.LinkedList;
import java.util.List;
import org.myoflow.dicom.Attrs;

/** A modality's side of Storage Commitment (PixelMed's association initiator), for the tests that need one. */
public final class CommitmentScu {
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final AttributeTag TRANSACTION_UID = new AttributeTag(0x0008, 0x1195);
    static final AttributeTag FAILED = new AttributeTag(0x0008, 0x1198);
    static final AttributeTag REFERENCED = new AttributeTag(0x0008, 0x1199);

    private CommitmentScu() {
    }

    public record Report(int actionStatus, int eventType, String transaction, int committed, int failed) {
    }

    /** A modality's commitment request on its own association; waits for the N-EVENT-REPORT and answers it. */
    public static Report commit(int port, String transaction, List<String[]> refs) throws Exception {
        LinkedList<PresentationContext> pcs = new LinkedList<>();
        pcs.add(new PresentationContext((byte) 1, StorageCommitmentService.SOP_CLASS, EXPLICIT_LE));
        Association a = AssociationFactory.createNewAssociation("127.0.0.1", port, "MYOFLOW", "MODALITY", pcs, null,
                false);
        try {
            AttributeList request = new AttributeList();
            put(request, TRANSACTION_UID, transaction);
            SequenceAttribute seq = new SequenceAttribute(REFERENCED);
            for (String[] r : refs) {
                AttributeList item = new AttributeList();
                put(item, TagFromName.ReferencedSOPClassUID, r[0]);
                put(item, TagFromName.ReferencedSOPInstanceUID, r[1]);
                seq.addItem(new SequenceItem(item));
            }
            request.put(seq);
            Message rsp = action(a, request);
            Message event = new Message();
            a.setReceivedDataHandler(event);
            a.waitForPDataPDUsUntilHandlerReportsDone();
            assertEquals(0x0100, Attrs.integer(event.command, TagFromName.CommandField, -1), "N-EVENT-REPORT-RQ");
            AttributeList ack = new AttributeList();
            put(ack, TagFromName.AffectedSOPClassUID, StorageCommitmentService.SOP_CLASS);
            put(ack, TagFromName.CommandField, 0x8100);
            put(ack, new AttributeTag(0x0000, 0x0120), Attrs.integer(event.command, TagFromName.MessageID, 0));
            put(ack, TagFromName.CommandDataSetType, 0x0101);
            put(ack, TagFromName.Status, 0);
            put(ack, TagFromName.AffectedSOPInstanceUID, StorageCommitmentService.WELL_KNOWN_INSTANCE);
            a.send((byte) 1, DimseCommands.command(ack), null);
            SequenceAttribute ok = (SequenceAttribute) event.data.get(REFERENCED);
            SequenceAttribute failed = (SequenceAttribute) event.data.get(FAILED);
            return new Report(Attrs.integer(rsp.command, TagFromName.Status, -1),
                    Attrs.integer(event.command, new AttributeTag(0x0000, 0x1002), -1),
                    Attrs.string(event.data, TRANSACTION_UID), ok == null ? 0 : ok.getNumberOfItems(),
                    failed == null ? 0 : failed.getNumberOfItems());
        } finally {
            a.release();
        }
    }

    /** Sends the N-ACTION (Request Storage Commitment) and returns its N-ACTION-RSP. */
    static Message action(Association a, AttributeList request) throws Exception {
        AttributeList cmd = new AttributeList();
        put(cmd, TagFromName.CommandField, 0x0130);
        put(cmd, TagFromName.MessageID, 7);
        put(cmd, TagFromName.CommandDataSetType, 0x0000);
        put(cmd, TagFromName.RequestedSOPClassUID, StorageCommitmentService.SOP_CLASS);
        put(cmd, new AttributeTag(0x0000, 0x1001), StorageCommitmentService.WELL_KNOWN_INSTANCE);
        put(cmd, new AttributeTag(0x0000, 0x1008), 1);
        a.send((byte) 1, DimseCommands.command(cmd), DimseCommands.encode(request, EXPLICIT_LE));
        Message rsp = new Message();
        a.setReceivedDataHandler(rsp);
        a.waitForCommandPDataPDUs();
        return rsp;
    }

    static final class Message extends CompositeResponseHandler {
        AttributeList command;
        AttributeList data;

        Message() {
            allowData = true;
        }

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            command = list;
            success = true;
            if (Attrs.integer(list, TagFromName.CommandDataSetType, 0x0101) == 0x0101) {
                setDone(true);
            }
        }

        @Override
        protected void makeUseOfDataSet(AttributeList list) {
            data = list;
            setDone(true);
        }
    }
}
