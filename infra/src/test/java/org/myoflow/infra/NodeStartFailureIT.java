package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code myoflow node} (the shipped jar) on a DICOM port another program holds: the DICOM node starts last, after the
 * embedded Kafka and Temporal and the workers, so this is the start that fails late. The operator gets one line
 * naming the address, exit status 1, no stack trace, and the process ends (what had started was stopped again).
 */
class NodeStartFailureIT {
    private static final Path JAR = Path.of("target/myoflow.jar");

    /** What a start of {@code myoflow node} said, and how it ended (it must end by itself). */
    private record Ended(int exitValue, String said) {
    }

    private static Ended startNode(Path dir, Map<String, String> env) throws Exception {
        Path log = dir.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx2g", "-jar", JAR.toString(), "node", "--home",
                dir.resolve("home").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process node = pb.start();
        boolean ended = node.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String said = Files.readString(log);
        assertTrue(ended, "the node ended by itself: " + said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        return new Ended(node.exitValue(), said);
    }

    @Test
    void aTakenDicomPortEndsTheStartWithOneLine(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Ended e = startNode(dir, Map.of("MYOFLOW_DICOM_PORT", String.valueOf(taken.getLocalPort()),
                    "MYOFLOW_KAFKA_PORT", "0", "MYOFLOW_TEMPORAL_PORT", "0", "MYOFLOW_THREADS", "2"));
            assertEquals(1, e.exitValue(), e.said());
            assertTrue(e.said().contains("myoflow node: cannot start: cannot listen for DICOM on 127.0.0.1:"
                    + taken.getLocalPort() + " ("), e.said());
        }
    }

    /**
     * A setting the node refuses, here a flag that is neither true nor false, ends the start before anything is
     * started (no Kafka, no Temporal, no port): a usage error naming the variable, exit status 2.
     */
    @Test
    void aRefusedSettingEndsTheStartBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Ended e = startNode(dir, Map.of("MYOFLOW_SPOOL_FSYNC", "yes"));
        assertEquals(2, e.exitValue(), e.said());
        assertTrue(e.said().contains("MYOFLOW_SPOOL_FSYNC must be true or false, not 'yes'"), e.said());
        assertFalse(Files.exists(dir.resolve("home/spool")), "nothing was started: " + e.said());
        // the application's own settings the same way: a misspelt TLS flag must not quietly mean plaintext
        Ended tls = startNode(dir, Map.of("MYOFLOW_TEMPORAL_TLS", "yes"));
        assertEquals(2, tls.exitValue(), tls.said());
        assertTrue(tls.said().contains("MYOFLOW_TEMPORAL_TLS must be true or false, got yes"), tls.said());
        assertFalse(Files.exists(dir.resolve("home/spool")), "nothing was started: " + tls.said());
    }
}
