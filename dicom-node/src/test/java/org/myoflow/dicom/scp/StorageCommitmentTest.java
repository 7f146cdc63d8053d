package org.myoflow.dicom.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.StudyReceived;

/**
 * Storage Commitment as a modality uses it: push with storescu, then an N-ACTION naming the set; the node answers
 * with an N-EVENT-REPORT on the same association, and a fully committed set completes its study at once.
 */
class StorageCommitmentTest {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final AttributeTag TRANSACTION_UID = new AttributeTag(0x0008, 0x1195);
    private static final AttributeTag FAILED = new AttributeTag(0x0008, 0x1198);
    private static final AttributeTag REFERENCED = new AttributeTag(0x0008, 0x1199);

    @Test
    void committedSetCompletesTheStudyAndUnknownInstancesFail(@TempDir Path root, @TempDir Path scanner)
            throws Exception {
        StudyIdentity id = StudyIdentity.forSeed(81);
        List<Path> ct = CtStackWriter.write(SpectPhantom.generate("sc", 81, PhantomOptions.normal()).image(), id, 2,
                100, scanner);
        List<String[]> refs = new ArrayList<>();
        for (Path f : ct) {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(f.toFile());
            refs.add(new String[] {Attrs.string(meta, TagFromName.MediaStorageSOPClassUID),
                Attrs.string(meta, TagFromName.MediaStorageSOPInstanceUID)});
        }
        try (DicomNode node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(60)), new SimpleMeterRegistry())) {
            // half the stack, then a commitment for all of it: the missing half fails, nothing completes
            assertEquals(0, DicomTools.storescu(node.port(), "MODALITY", ct.subList(0, ct.size() / 2)).exit());
            Report partial = commit(node.port(), "2.25.1001", refs);
            assertEquals(2, partial.eventType);
            assertEquals(ct.size() / 2, partial.committed);
            assertEquals(ct.size() - ct.size() / 2, partial.failed);
            assertTrue(Files.notExists(event(root, id, 1)), "a partly failed commitment completes nothing");

            assertEquals(0, DicomTools.storescu(node.port(), "MODALITY", ct.subList(ct.size() / 2, ct.size()))
                    .exit());
            long t0 = System.nanoTime();
            Report full = commit(node.port(), "2.25.1002", refs);
            assertEquals(1, full.eventType);
            assertEquals(ct.size(), full.committed);
            assertEquals("2.25.1002", full.transaction);
            Path e = event(root, id, 1);
            for (int i = 0; i < 100 && Files.notExists(e); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(e), "the committed study completed");
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "long before the 60 s quiet period");
            StudyReceived received = EventJson.fromBytes(Files.readAllBytes(e), StudyReceived.class);
            assertEquals(StudyReceived.Completion.STORAGE_COMMITMENT, received.completion());
            assertEquals(ct.size(), received.instanceCount());
        }
    }

    @Test
    void malformedRequestsAreAnsweredWithTheirFailureStatusAndTheAssociationGoesOn(@TempDir Path root)
            throws Exception {
        try (DicomNode node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(60)), new SimpleMeterRegistry())) {
            LinkedList<PresentationContext> pcs = new LinkedList<>();
            pcs.add(new PresentationContext((byte) 1, StorageCommitmentService.SOP_CLASS, EXPLICIT_LE));
            Association a = AssociationFactory.createNewAssociation("127.0.0.1", node.port(), "MYOFLOW", "MODALITY",
                    pcs, null, false);
            AttributeList noTransaction = new AttributeList();
            noTransaction.put(new SequenceAttribute(REFERENCED));
            assertEquals(0x0120, Attrs.integer(action(a, noTransaction).command, TagFromName.Status, -1),
                    "missing attribute");
            // a sender that encodes the Referenced SOP Sequence as something else than a sequence
            AttributeList notASequence = new AttributeList();
            put(notASequence, TRANSACTION_UID, "2.25.1003");
            com.pixelmed.dicom.UniqueIdentifierAttribute uid = new com.pixelmed.dicom.UniqueIdentifierAttribute(
                    REFERENCED);
            uid.addValue("1.2.3.4");
            notASequence.put(uid);
            assertEquals(0x0106, Attrs.integer(action(a, notASequence).command, TagFromName.Status, -1),
                    "invalid attribute value");
            a.release(); // the association is still in order: its release is answered
        }
    }

    private static Path event(Path root, StudyIdentity id, int revision) {
        return root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r" + revision)
                .resolve("study-received.json");
    }

    record Report(int actionStatus, int eventType, String transaction, int committed, int failed) {
    }

    /** A modality's commitment request on its own association; waits for the N-EVENT-REPORT and answers it. */
    private static Report commit(int port, String transaction, List<String[]> refs) throws Exception {
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
    private static Message action(Association a, AttributeList request) throws Exception {
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

    private static final class Message extends CompositeResponseHandler {
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
