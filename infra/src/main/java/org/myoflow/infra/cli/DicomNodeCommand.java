package org.myoflow.infra.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the DICOM node role alone (C-STORE SCP, spool, completeness, Kafka announcements) until SIGTERM. */
@Command(name = "dicom-node", mixinStandardHelpOptions = true,
        description = "Receive studies by C-STORE, spool them durably, announce complete studies on Kafka. "
                + "Options override the MYOFLOW_HOME / MYOFLOW_DICOM_* / MYOFLOW_KAFKA_BOOTSTRAP environment.")
public final class DicomNodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--home", description = "Storage root (spool/, quarantine/, studies/).")
    Path home;

    @Option(names = "--port", description = "Port to listen on (0 picks one).")
    Integer port;

    @Option(names = "--ae", description = "Our AE title.")
    String aeTitle;

    @Option(names = "--bind", description = "Address to bind (default 127.0.0.1).")
    String bind;

    @Option(names = "--allow", split = ",", description = "Calling AE titles allowed (default: any).")
    Set<String> allow;

    @Option(names = "--max-associations", description = "Concurrent associations; more are rejected transiently "
            + "(default 16).")
    Integer maxAssociations;

    @Option(names = "--idle-seconds", description = "An association silent this long is aborted (default 60).")
    Long idleSeconds;

    @Option(names = "--request-seconds", description = "A connection that has not sent its whole association "
            + "request this long after connecting is closed; until then it holds no association slot (default 10).")
    Double requestSeconds;

    @Option(names = "--stop-drain-seconds", description = "On stop, running associations get this long to finish "
            + "before they are aborted (default 8).")
    Double stopDrainSeconds;

    @Option(names = "--sop-classes", split = ",", description = "Storage SOP Class UIDs accepted "
            + "(default: NM, PET, CT, MR and their enhanced forms, Secondary Capture, SEG, SR).")
    Set<String> sopClasses;

    @Option(names = "--transfer-syntaxes", split = ",", description = "Transfer Syntax UIDs accepted, in order of "
            + "preference (default: explicit and implicit VR little endian, deflated explicit VR little endian, "
            + "JPEG Lossless, JPEG 2000 lossless, RLE Lossless).")
    List<String> transferSyntaxes;

    @Option(names = "--kafka", description = "Kafka bootstrap servers; without it studies stay unannounced.")
    String kafka;

    @Option(names = "--quiet-seconds", description = "Quiet period that completes a study.")
    Double quietSeconds;

    @Option(names = "--min-free-mb", description = "Below this much usable space on the storage's file system, new "
            + "instances are refused with 0xA700 and the sender keeps them (default 256; 0: no reserve).")
    Double minFreeMb;

    @Option(names = "--retention-days", description = "A study whose every revision Kafka acknowledged this many days "
            + "ago leaves the spool (default MYOFLOW_SPOOL_RETENTION_DAYS or 0: keep every instance; at least 1/24).")
    Double retentionDays;

    /** The environment's configuration with this command's options over it. */
    DicomNodeConfig config(Map<String, String> env) {
        DicomNodeConfig c = DicomNodeConfig.from(env);
        ScpConfig s = c.scp();
        s = new ScpConfig(aeTitle != null ? aeTitle : s.aeTitle(), bind != null ? bind : s.bindAddress(),
                port != null ? port : s.port(), allow != null ? allow : s.allowedCallingAeTitles(),
                maxAssociations != null ? maxAssociations : s.maxAssociations(), s.maxPendingConnections(),
                sopClasses != null ? sopClasses : s.sopClasses(),
                transferSyntaxes != null ? transferSyntaxes : s.transferSyntaxes(), s.maxPduLength(),
                idleSeconds != null ? Duration.ofSeconds(idleSeconds) : s.idleTimeout(),
                requestSeconds != null ? Duration.ofMillis((long) (requestSeconds * 1000)) : s.requestTimeout(),
                stopDrainSeconds != null ? Duration.ofMillis((long) (stopDrainSeconds * 1000)) : s.stopDrain());
        return new DicomNodeConfig(home != null ? home : c.storageRoot(), s,
                quietSeconds != null ? Duration.ofMillis((long) (quietSeconds * 1000)) : c.quietPeriod(),
                kafka != null ? kafka : c.kafkaBootstrapServers(), c.kafkaAckTimeout(), c.fsync(),
                c.journalLimitBytes(), minFreeMb != null ? (long) (minFreeMb * 1024 * 1024) : c.minFreeBytes(),
                retentionDays != null ? Duration.ofSeconds(Math.round(retentionDays * 86_400)) : c.spoolRetention());
    }

    @Override
    public Integer call() throws Exception {
        DicomNodeConfig c;
        try {
            c = config(System.getenv());
        } catch (IllegalArgumentException e) { // a value the SCP refuses: say which, before anything starts
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        DicomNode node;
        try {
            node = DicomNode.start(c, new SimpleMeterRegistry());
        } catch (java.io.IOException e) { // e.g. a journal that cannot be replayed on a full disk: say why, plainly
            System.err.println("dicom-node: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("dicom-node: unclean stop: " + e);
            } finally {
                stopped.countDown();
            }
        }, "dicom-node-shutdown"));
        System.out.println("dicom-node " + c.scp().aeTitle() + " listening on " + c.scp().bindAddress() + ":"
                + node.port() + ", storage " + c.storageRoot().toAbsolutePath());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
