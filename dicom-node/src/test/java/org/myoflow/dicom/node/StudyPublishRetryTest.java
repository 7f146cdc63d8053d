package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

/**
 * A complete study that cannot be converted (its output directory is blocked) and then cannot be announced (Kafka's
 * address has no broker) is kept and retried, and what operators see says so: failures counted by stage, the study
 * counted as unannounced, and how long it has waited. (Recovery once a broker is back is tested in infra, where the
 * embedded broker lives.)
 */
class StudyPublishRetryTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @TempDir
    Path root;
    @TempDir
    Path scanner;

    @Test
    void aStudyStuckInConversionThenInAnnouncementIsKeptRetriedAndCounted() throws Exception {
        StudyIdentity id = StudyIdentity.forSeed(81);
        Path nm = scanner.resolve("nm.dcm");
        NmReconTomoWriter.write(SpectPhantom.generate("p81", 81, PhantomOptions.normal()).image(), id, 1, nm);
        // a file where the study's output directory goes: every conversion try fails until it is removed
        Path blocker = Files.createDirectories(root.resolve("studies")).resolve(id.studyInstanceUid());
        Files.writeString(blocker, "in the way");

        DicomNodeConfig config = DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofSeconds(30)).withKafka("127.0.0.1:" + portNobodyListensOn())
                .withKafkaAckTimeout(Duration.ofMillis(500));
        try (DicomNode node = DicomNode.start(config, registry)) {
            assertEquals(0.0, unannounced(), "nothing waits before anything arrived");
            assertEquals(0, DicomTools.storescu(node.port(), "SCANNER", List.of(nm)).exit());
            assertEquals(1, LiveFiles.find(root.resolve("spool"), 4, p -> p.toString().endsWith(".dcm")).size(),
                    "acknowledged, so on disk whatever happens after");

            await(() -> failures("convert") >= 2, "conversion tried again after it failed");
            assertEquals(0.0, failures("announce"), "nothing to announce before it is converted");
            assertEquals(1.0, unannounced());
            assertTrue(oldestSeconds() > 0, "the stuck study's wait is visible: " + oldestSeconds());

            Files.delete(blocker); // the disk is fixed: the next try converts
            Path event = blocker.resolve("r1").resolve("study-received.json");
            await(() -> Files.exists(event), "converted on a later try");
            await(() -> failures("announce") >= 2, "announcement tried again after Kafka did not answer");
            assertEquals(1.0, unannounced(), "not acknowledged, so still waiting");
            assertTrue(Files.notExists(root.resolve("spool").resolve(id.studyInstanceUid())
                    .resolve("revision-1.announced")), "never marked announced without an acknowledgement");
            double waited = oldestSeconds();
            Thread.sleep(1100);
            assertTrue(oldestSeconds() >= waited + 1, "the wait grows while it is stuck");
        }
    }

    private double failures(String stage) {
        return registry.get("myoflow.dicom.studies.publish.failures").tag("stage", stage).counter().count();
    }

    private double unannounced() {
        return registry.get("myoflow.dicom.studies.unannounced").gauge().value();
    }

    private double oldestSeconds() {
        return registry.get("myoflow.dicom.studies.unannounced.oldest").gauge().value();
    }

    private static int portNobodyListensOn() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
