package org.myoflow.infra.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.myoflow.infra.Storescu;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.StudyFailed;
import org.myoflow.workflows.events.Topics;

/**
 * A study with nothing to segment (an NM multi-frame that is raw projections, not a reconstruction) fails at once,
 * without retries: the revision is marked failed with the reason and a StudyFailed event lands on the dead-letter
 * topic of the real broker; the node keeps serving.
 */
class DeadLetterTest {

    @Test
    void studyWithoutAVolumeIsDeadLettered(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("home");
        try (MyoflowNode node = MyoflowNode.all(root, StackConfig.from(Map.of()).withEmbeddedPorts(0, 0),
                DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                        .withQuietPeriod(Duration.ofSeconds(1)), 2, new SimpleMeterRegistry())) {
            StudyIdentity id = StudyIdentity.forSeed(61);
            AttributeList l = NmReconTomoWriter.build(SpectPhantom.generate("raw", 61, PhantomOptions.normal())
                    .image(), id, 1);
            Attrs.put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "TOMO", "EMISSION");
            Path f = dir.resolve("projections.dcm");
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "TEST");
            l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            assertEquals(0, Storescu.push(node.dicomPort(), List.of(f)));

            Path failed = root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r1")
                    .resolve("myoflow-" + node.modelVersion()).resolve("failed.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.notExists(failed) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(failed), "the revision is marked failed");
            StudyFailed onDisk = EventJson.fromBytes(Files.readAllBytes(failed), StudyFailed.class);
            assertEquals("preprocess", onDisk.stage());
            assertTrue(onDisk.reason().contains("not a reconstruction"), onDisk.reason());

            StudyFailed event = deadLetter(node.kafkaBootstrap(), id.studyInstanceUid());
            assertEquals(onDisk.reason(), event.reason());
            assertTrue(Files.notExists(failed.resolveSibling("completed.json")));
            assertEquals(0, Storescu.push(node.dicomPort(), List.of(f)), "still serving");
        }
    }

    private static StudyFailed deadLetter(String bootstrap, String study) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.DEADLETTER));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (study.equals(r.key())) {
                        return EventJson.fromBytes(r.value(), StudyFailed.class);
                    }
                }
            }
        }
        throw new AssertionError("no dead-letter event for " + study);
    }
}
