package org.myoflow.infra.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the DICOM node role alone (C-STORE SCP, spool, completeness, Kafka announcements) until SIGTERM. */
@Command(name = "dicom-node", mixinStandardHelpOptions = true,
        description = "Receive studies by C-STORE, spool them durably, announce complete studies on Kafka. "
                + "Options override the MYOFLOW_DICOM_* / MYOFLOW_KAFKA_BOOTSTRAP environment.")
public final class DicomNodeCommand implements Callable<Integer> {
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

    @Option(names = "--kafka", description = "Kafka bootstrap servers; without it studies stay unannounced.")
    String kafka;

    @Option(names = "--quiet-seconds", description = "Quiet period that completes a study.")
    Double quietSeconds;

    @Override
    public Integer call() throws Exception {
        DicomNodeConfig c = DicomNodeConfig.fromEnvironment();
        ScpConfig s = c.scp();
        s = new ScpConfig(aeTitle != null ? aeTitle : s.aeTitle(), bind != null ? bind : s.bindAddress(),
                port != null ? port : s.port(), allow != null ? allow : s.allowedCallingAeTitles(),
                s.maxAssociations(), s.sopClasses(), s.transferSyntaxes(), s.maxPduLength(), s.idleTimeout());
        c = new DicomNodeConfig(home != null ? home : c.storageRoot(), s,
                quietSeconds != null ? Duration.ofMillis((long) (quietSeconds * 1000)) : c.quietPeriod(),
                kafka != null ? kafka : c.kafkaBootstrapServers(), c.kafkaAckTimeout(), c.fsync(),
                c.journalLimitBytes());
        CountDownLatch stopped = new CountDownLatch(1);
        DicomNode node = DicomNode.start(c, new SimpleMeterRegistry());
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
