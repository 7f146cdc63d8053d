package org.myoflow.dicom.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One storage root, one node: a second node on a spool in use is refused at start with a reason that names the
 * holder, and the holder goes on; a node killed with SIGKILL leaves no lock behind for the next start.
 */
class SpoolLockTest {
    @TempDir
    Path root;

    @Test
    void aSecondNodeInTheSameProcessIsRefusedAndTheFirstKeepsTheSpool() throws Exception {
        try (Spool first = new Spool(root)) {
            IOException refused = assertThrows(IOException.class, () -> new Spool(root));
            assertTrue(refused.getMessage().contains("is in use by another Myoflow node (pid "
                    + ProcessHandle.current().pid() + ", since "), refused.getMessage());
            assertTrue(Files.isDirectory(first.directory()));
            assertEquals(0, first.size());
        }
        try (Spool next = new Spool(root)) { // closed: the next node takes it
            assertEquals(0, next.size());
        }
    }

    @Test
    void aNodeInAnotherProcessHoldsTheSpoolUntilItIsKilled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SpoolHolder.class.getName(), root.toString())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("holding "));
            assertTrue(line != null, "the holder process never opened the spool");

            IOException refused = assertThrows(IOException.class, () -> new Spool(root));
            assertTrue(refused.getMessage().contains("(pid " + holder.pid() + ", since "), refused.getMessage());

            holder.destroyForcibly(); // SIGKILL: no close, no shutdown hook
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            try (Spool next = new Spool(root)) {
                assertEquals(0, next.size());
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
