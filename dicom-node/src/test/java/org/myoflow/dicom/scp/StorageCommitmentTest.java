package org.myoflow.dicom.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.myoflow.dicom.Attrs.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
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
    private static final String EXPLICIT_LE = CommitmentScu.EXPLICIT_LE;
    private static final AttributeTag TRANSACTION_UID = CommitmentScu.TRANSACTION_UID;
    private static final AttributeTag REFERENCED = CommitmentScu.REFERENCED;

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
            CommitmentScu.Report partial = CommitmentScu.commit(node.port(), "2.25.1001", refs);
            assertEquals(2, partial.eventType());
            assertEquals(ct.size() / 2, partial.committed());
            assertEquals(ct.size() - ct.size() / 2, partial.failed());
            assertTrue(Files.notExists(event(root, id, 1)), "a partly failed commitment completes nothing");

            assertEquals(0, DicomTools.storescu(node.port(), "MODALITY", ct.subList(ct.size() / 2, ct.size()))
                    .exit());
            long t0 = System.nanoTime();
            CommitmentScu.Report full = CommitmentScu.commit(node.port(), "2.25.1002", refs);
            assertEquals(1, full.eventType());
            assertEquals(ct.size(), full.committed());
            assertEquals("2.25.1002", full.transaction());
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
            assertEquals(0x0120, Attrs.integer(CommitmentScu.action(a, noTransaction).command, TagFromName.Status, -1),
                    "missing attribute");
            // a sender that encodes the Referenced SOP Sequence as something else than a sequence
            AttributeList notASequence = new AttributeList();
            put(notASequence, TRANSACTION_UID, "2.25.1003");
            com.pixelmed.dicom.UniqueIdentifierAttribute uid = new com.pixelmed.dicom.UniqueIdentifierAttribute(
                    REFERENCED);
            uid.addValue("1.2.3.4");
            notASequence.put(uid);
            assertEquals(0x0106, Attrs.integer(CommitmentScu.action(a, notASequence).command, TagFromName.Status, -1),
                    "invalid attribute value");
            a.release(); // the association is still in order: its release is answered
        }
    }

    private static Path event(Path root, StudyIdentity id, int revision) {
        return root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r" + revision)
                .resolve("study-received.json");
    }
}
