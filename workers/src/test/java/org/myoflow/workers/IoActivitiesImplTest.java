package org.myoflow.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.segmentation.SegmentationWorkflowImpl;

class IoActivitiesImplTest {

    /** Export reads the series' spooled headers; one that retention took out fails for good, naming why. */
    @Test
    void aSourceInstanceRetentionTookOutFailsExportWithoutRetries(@TempDir Path root, @TempDir Path scanner)
            throws Exception {
        StudyIdentity id = StudyIdentity.forSeed(61);
        List<Path> slices = CtStackWriter.write(SpectPhantom.generate("x", 61, PhantomOptions.normal()).image(), id, 2,
                100, scanner);
        List<String> sops = new ArrayList<>();
        String series = null;
        for (Path f : slices.subList(0, 3)) { // as the node spools them: spool/<study>/<series>/<sop>.dcm
            AttributeList l = new AttributeList();
            l.read(f.toFile());
            series = Attrs.string(l, TagFromName.SeriesInstanceUID);
            String sop = Attrs.string(l, TagFromName.SOPInstanceUID);
            Path target = root.resolve("spool").resolve(id.studyInstanceUid()).resolve(series).resolve(sop + ".dcm");
            Files.createDirectories(target.getParent());
            Files.copy(f, target);
            sops.add(sop);
        }
        SeriesReceived received = new SeriesReceived(series, "CT", "1.2.840.10008.5.1.4.1.1.2", 2, "", sops, null,
                null, null, null);

        List<AttributeList> headers = IoActivitiesImpl.sourceHeaders(root, id.studyInstanceUid(), received);
        assertEquals(3, headers.size());
        assertEquals(sops.get(1), Attrs.string(headers.get(1), TagFromName.SOPInstanceUID));

        Files.delete(root.resolve("spool").resolve(id.studyInstanceUid()).resolve(series).resolve(sops.get(1) + ".dcm"));
        ApplicationFailure f = assertThrows(ApplicationFailure.class,
                () -> IoActivitiesImpl.sourceHeaders(root, id.studyInstanceUid(), received));
        assertTrue(f.isNonRetryable());
        assertEquals(SegmentationWorkflowImpl.BAD_INPUT, f.getType());
        assertTrue(f.getOriginalMessage().contains(sops.get(1)) && f.getOriginalMessage().contains("retention"),
                f.getOriginalMessage());
    }
}
