package org.myoflow.infra.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.myoflow.infra.stack.OrthancClient;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end path against containers instead of the embedded parts: a Kafka broker and an Orthanc image from
 * Docker Hub, the node pointed at them as external services. Skipped cleanly where there is no Docker (as on CI here,
 * where {@link SegmentationEndToEndTest} covers the same path with the embedded stack and Debian's Orthanc).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerizedEndToEndTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka-native:3.8.0");

    @Container
    static final GenericContainer<?> ORTHANC = new GenericContainer<>("orthancteam/orthanc:24.10.3")
            .withEnv("ORTHANC__AUTHENTICATION_ENABLED", "false")
            .withEnv("ORTHANC__DICOM_AET", "ORTHANC")
            .withEnv("ORTHANC__DICOM_ALWAYS_ALLOW_STORE", "true")
            .withExposedPorts(4242, 8042)
            .waitingFor(Wait.forHttp("/system").forPort(8042));

    @Test
    void nmStudyComesBackAsOneSegInContainerizedOrthanc(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("home");
        PacsDestination pacs = new PacsDestination("ORTHANC", ORTHANC.getHost(), ORTHANC.getMappedPort(4242));
        StackConfig stack = StackConfig.from(Map.of("MYOFLOW_KAFKA_BOOTSTRAP", KAFKA.getBootstrapServers()))
                .withEmbeddedPorts(0, 0).withPacs(List.of(pacs));
        OrthancClient orthanc = new OrthancClient("http://" + ORTHANC.getHost() + ":" + ORTHANC.getMappedPort(8042));
        try (MyoflowNode node = MyoflowNode.all(root, stack, DicomNodeConfig.defaults(root)
                .withScp(ScpConfig.defaults().withPort(0)).withQuietPeriod(Duration.ofSeconds(1)), 2,
                new SimpleMeterRegistry())) {
            StudyIdentity id = StudyIdentity.forSeed(71);
            Path nm = dir.resolve("nm.dcm");
            NmReconTomoWriter.write(SpectPhantom.generate("tc", 71, PhantomOptions.normal()).image(), id, 1, nm);
            assertEquals(0, Storescu.push(node.dicomPort(), List.of(nm)));
            assertEquals(0, Storescu.push(node.dicomPort(), List.of(nm)), "pushed twice");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (orthanc.segInstancesOfStudy(id.studyInstanceUid()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            Thread.sleep(3000);
            assertEquals(1, orthanc.segInstancesOfStudy(id.studyInstanceUid()).size(), "one SEG");
        }
    }
}
