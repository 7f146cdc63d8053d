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
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.Storescu;
import org.myoflow.infra.stack.EmbeddedTemporal;
import org.myoflow.infra.stack.OrthancPacs;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

/**
 * Temporal (here an external one) is down when a study is announced: the starter keeps the offset and retries, the
 * node keeps receiving, and once Temporal is up the study goes through to exactly one SEG.
 */
class TemporalOutageTest {

    @Test
    void studyAnnouncedWhileTemporalIsDownIsSegmentedWhenItReturns(@TempDir Path dir) throws Exception {
        int temporalPort = freePort();
        Path root = dir.resolve("home");
        try (OrthancPacs orthanc = OrthancPacs.start(dir.resolve("orthanc"), 0, 0);
             MyoflowNode node = MyoflowNode.all(root, StackConfig.from(Map.of("MYOFLOW_TEMPORAL_TARGET",
                     "127.0.0.1:" + temporalPort)).withEmbeddedPorts(0, 0).withPacs(List.of(orthanc.destination())),
                     DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                             .withQuietPeriod(Duration.ofSeconds(1)), 2, new SimpleMeterRegistry())) {
            StudyIdentity id = StudyIdentity.forSeed(81);
            Path nm = dir.resolve("nm.dcm");
            NmReconTomoWriter.write(SpectPhantom.generate("t-outage", 81, PhantomOptions.normal()).image(), id, 1, nm);
            assertEquals(0, Storescu.push(node.dicomPort(), List.of(nm)), "the node receives without Temporal");
            Path done = root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r1")
                    .resolve("myoflow-" + node.modelVersion()).resolve("completed.json");
            Thread.sleep(4000);
            assertTrue(Files.notExists(done), "nothing can complete while Temporal is down");
            try (EmbeddedTemporal temporal = EmbeddedTemporal.start(temporalPort)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (Files.notExists(done) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                assertTrue(Files.exists(done), "segmented once Temporal was back");
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
