package org.myoflow.dicom.scp;

import static org.myoflow.dicom.Attrs.put;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Storage Commitment Push Model (PS3.4 Annex J) as the SCP: the sender lists the instances it considers the complete
 * set (N-ACTION); each listed instance the spool holds is committed, the rest fail with "no such object instance".
 * The committed set completes its study at once (no quiet timer), and the result goes back as an N-EVENT-REPORT on
 * the same association.
 */
final class StorageCommitmentService {
    private static final Logger log = LoggerFactory.getLogger(StorageCommitmentService.class);
    static final String SOP_CLASS = "1.2.840.10008.1.20.1";
    static final String WELL_KNOWN_INSTANCE = "1.2.840.10008.1.20.1.1";
    private static final int N_ACTION_RSP = 0x8130;
    private static final int N_EVENT_REPORT_RQ = 0x0100;
    private static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;
    private static final AttributeTag TRANSACTION_UID = new AttributeTag(0x0008, 0x1195);
    private static final AttributeTag FAILED_SOP_SEQUENCE = new AttributeTag(0x0008, 0x1198);
    private static final AttributeTag FAILURE_REASON = new AttributeTag(0x0008, 0x1197);
    private static final AttributeTag REFERENCED_SOP_SEQUENCE = new AttributeTag(0x0008, 0x1199);
    private static final AttributeTag ACTION_TYPE_ID = new AttributeTag(0x0000, 0x1008);
    private static final AttributeTag EVENT_TYPE_ID = new AttributeTag(0x0000, 0x1002);
    private static final AttributeTag MESSAGE_ID_RESPONDED = new AttributeTag(0x0000, 0x0120);

    private final Spool spool;
    private final ReceiveListener commitments;
    private int eventMessageId = 1;

    StorageCommitmentService(Spool spool, ReceiveListener commitments) {
        this.spool = spool;
        this.commitments = commitments;
    }

    void request(DimseCommand cmd, byte[] data, byte pcid, String transferSyntax, PDataChannel channel,
                 String association) throws IOException, ServiceDispatcher.ProtocolViolation {
        int msgId = cmd.messageId();
        AttributeList request;
        try {
            request = DimseCommands.decode(data, transferSyntax);
        } catch (DicomException | IOException e) {
            throw new ServiceDispatcher.ProtocolViolation("unreadable Storage Commitment request: " + e.getMessage());
        }
        String transaction = Attrs.string(request, TRANSACTION_UID);
        Attribute listed = request.get(REFERENCED_SOP_SEQUENCE);
        SequenceAttribute refs = listed instanceof SequenceAttribute s ? s : null;
        // PS3.7 10.1.4.1.10: missing attribute, or one that is there but not the sequence it must be
        int status = transaction.isEmpty() || listed == null ? 0x0120 : refs == null ? 0x0106 : 0x0000;
        try {
            AttributeList rsp = new AttributeList();
            put(rsp, TagFromName.AffectedSOPClassUID, SOP_CLASS);
            put(rsp, TagFromName.CommandField, N_ACTION_RSP);
            put(rsp, MESSAGE_ID_RESPONDED, msgId);
            put(rsp, TagFromName.CommandDataSetType, 0x0101);
            put(rsp, TagFromName.Status, status);
            put(rsp, TagFromName.AffectedSOPInstanceUID, cmd.requestedSopInstanceUid());
            put(rsp, ACTION_TYPE_ID, 1);
            channel.sendCommand(pcid, DimseCommands.command(rsp));
        } catch (DicomException e) {
            throw new IOException(e);
        }
        if (status != 0) {
            log.warn("event=commitment_refused association={} status={} reason=\"{}\"", association,
                    String.format("0x%04X", status), status == 0x0106 ? "the Referenced SOP Sequence is not a "
                            + "sequence" : "no Transaction UID or Referenced SOP Sequence");
            return;
        }
        List<AttributeList> committed = new ArrayList<>();
        List<AttributeList> failed = new ArrayList<>();
        Map<String, Set<String>> byStudy = new LinkedHashMap<>();
        for (int i = 0; i < refs.getNumberOfItems(); i++) {
            AttributeList ref = refs.getItem(i).getAttributeList();
            String sop = Attrs.string(ref, TagFromName.ReferencedSOPInstanceUID);
            String study = sop.isEmpty() ? null : spool.studyOf(sop);
            if (study == null || ref.get(TagFromName.ReferencedSOPClassUID) == null) {
                failed.add(ref);
            } else {
                committed.add(ref);
                byStudy.computeIfAbsent(study, k -> new LinkedHashSet<>()).add(sop);
            }
        }
        if (failed.isEmpty()) {
            commitments.committed(byStudy);
        }
        log.info("event=commitment association={} transaction={} committed={} failed={}", association, transaction,
                committed.size(), failed.size());
        sendEventReport(pcid, transferSyntax, channel, transaction, committed, failed);
    }

    private void sendEventReport(byte pcid, String transferSyntax, PDataChannel channel, String transaction,
                                 List<AttributeList> committed, List<AttributeList> failed) throws IOException {
        try {
            AttributeList report = new AttributeList();
            put(report, TRANSACTION_UID, transaction);
            if (!committed.isEmpty()) {
                report.put(items(REFERENCED_SOP_SEQUENCE, committed, false));
            }
            if (!failed.isEmpty()) {
                report.put(items(FAILED_SOP_SEQUENCE, failed, true));
            }
            AttributeList rq = new AttributeList();
            put(rq, TagFromName.AffectedSOPClassUID, SOP_CLASS);
            put(rq, TagFromName.CommandField, N_EVENT_REPORT_RQ);
            put(rq, TagFromName.MessageID, eventMessageId++);
            put(rq, TagFromName.CommandDataSetType, 0x0000);
            put(rq, TagFromName.AffectedSOPInstanceUID, WELL_KNOWN_INSTANCE);
            put(rq, EVENT_TYPE_ID, failed.isEmpty() ? 1 : 2);
            channel.sendCommand(pcid, DimseCommands.command(rq));
            channel.sendData(pcid, DimseCommands.encode(report, transferSyntax));
        } catch (DicomException e) {
            throw new IOException(e);
        }
    }

    private static SequenceAttribute items(AttributeTag tag, List<AttributeList> refs, boolean failure)
            throws DicomException {
        SequenceAttribute s = new SequenceAttribute(tag);
        for (AttributeList ref : refs) {
            AttributeList item = new AttributeList();
            put(item, TagFromName.ReferencedSOPClassUID, Attrs.string(ref, TagFromName.ReferencedSOPClassUID));
            put(item, TagFromName.ReferencedSOPInstanceUID, Attrs.string(ref, TagFromName.ReferencedSOPInstanceUID));
            if (failure) {
                put(item, FAILURE_REASON, NO_SUCH_OBJECT_INSTANCE);
            }
            s.addItem(new SequenceItem(item));
        }
        return s;
    }
}
