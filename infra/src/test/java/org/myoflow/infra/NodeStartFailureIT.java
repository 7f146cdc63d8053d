package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void aTakenDicomPortEndsTheStartWithOneLine(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Path log = dir.resolve("node.log");
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx2g", "-jar", JAR.toString(), "node", "--home",
                    dir.resolve("home").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MYOFLOW_DICOM_PORT", String.valueOf(taken.getLocalPort()));
            pb.environment().put("MYOFLOW_KAFKA_PORT", "0");
            pb.environment().put("MYOFLOW_TEMPORAL_PORT", "0");
            pb.environment().put("MYOFLOW_THREADS", "2");
            Process node = pb.start();
            boolean ended = node.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String said = Files.readString(log);
            assertTrue(ended, "the node ended by itself: " + said);
            assertEquals(1, node.exitValue(), said);
            assertTrue(said.contains("myoflow node: cannot start: cannot listen for DICOM on 127.0.0.1:"
                    + taken.getLocalPort() + " ("), said);
            assertFalse(said.contains("\tat "), "no stack trace: " + said);
        }
    }

    /**
     * A setting the node refuses, here a flag that is neither true nor false, ends the start before anything is
     * started (no Kafka, no Temporal, no port): a usage error naming the variable, exit status 2, no stack trace.
     */
    @Test
    void aRefusedSettingEndsTheStartBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node.log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx1g", "-jar", JAR.toString(), "node", "--home",
                dir.resolve("home").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MYOFLOW_SPOOL_FSYNC", "yes");
        Process node = pb.start();
        boolean ended = node.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String said = Files.readString(log);
        assertTrue(ended, "the node ended by itself: " + said);
        assertEquals(2, node.exitValue(), said);
        assertTrue(said.contains("MYOFLOW_SPOOL_FSYNC must be true or false, not 'yes'"), said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        assertFalse(Files.exists(dir.resolve("home/spool")), "nothing was started: " + said);
    }
}
