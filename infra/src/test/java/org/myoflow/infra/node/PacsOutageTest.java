package org.myoflow.infra.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.myoflow.infra.Storescu;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.scu.PacsDestination;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.stack.OrthancPacs;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

/**
 * The PACS is down when the result is ready: the export is retried with backoff while the workflow waits, and the
 * SEG is delivered once Orthanc comes up on its address; exactly one copy is stored.
 */
class PacsOutageTest {

    @Test
    void segIsDeliveredAfterThePacsReturns(@TempDir Path dir) throws Exception {
        int dicomPort = freePort();
        Path root = dir.resolve("home");
        PacsDestination pacs = new PacsDestination(OrthancPacs.AE_TITLE, "127.0.0.1", dicomPort);
        try (MyoflowNode node = MyoflowNode.all(root, StackConfig.from(Map.of()).withEmbeddedPorts(0, 0)
                .withPacs(List.of(pacs)), DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(1)), 2, new SimpleMeterRegistry())) {
            StudyIdentity id = StudyIdentity.forSeed(41);
            Path nm = dir.resolve("nm.dcm");
            NmReconTomoWriter.write(SpectPhantom.generate("outage", 41, PhantomOptions.normal()).image(), id, 1, nm);
            assertEquals(0, Storescu.push(node.dicomPort(), List.of(nm)));

            Path run = root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r1")
                    .resolve("myoflow-" + node.modelVersion());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.notExists(run.resolve("seg.dcm")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(run.resolve("seg.dcm")), "the SEG was made and its export attempted");
            Thread.sleep(3000); // a few failed attempts against the closed port
            assertTrue(Files.notExists(run.resolve("completed.json")), "not complete while the PACS is down");

            try (OrthancPacs orthanc = OrthancPacs.start(dir.resolve("orthanc"), dicomPort, 0)) {
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (Files.notExists(run.resolve("completed.json")) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                assertTrue(Files.exists(run.resolve("completed.json")), "delivered after the PACS came back");
                assertEquals(1, orthanc.segInstancesOfStudy(id.studyInstanceUid()).size());
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
