package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.stack.OrthancPacs;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

/**
 * {@code myoflow node} (the shipped jar) is killed with SIGKILL as soon as the first workflow starts, then started
 * again on the same storage: the embedded Temporal has forgotten everything, the starter re-drives every announced
 * study without a result, and each study ends with exactly one SEG in Orthanc.
 */
class NodeRestartIT {
    private static final Path JAR = Path.of("target/myoflow.jar");

    @Test
    void killedMidWorkflowEachStudyGetsExactlyOneSeg(@TempDir Path dir) throws Exception {
        List<StudyIdentity> ids = List.of(StudyIdentity.forSeed(51), StudyIdentity.forSeed(52),
                StudyIdentity.forSeed(53));
        List<Path> files = new ArrayList<>();
        for (StudyIdentity id : ids) {
            Path f = dir.resolve("scanner").resolve(id.studyInstanceUid() + ".dcm");
            Files.createDirectories(f.getParent());
            NmReconTomoWriter.write(SpectPhantom.generate("restart", files.size() + 51, PhantomOptions.normal())
                    .image(), id, 1, f);
            files.add(f);
        }
        Path home = dir.resolve("home");
        try (OrthancPacs orthanc = OrthancPacs.start(dir.resolve("orthanc"), 0, 0)) {
            int port = freePort();
            Process first = startNode(home, port, orthanc, dir.resolve("first.log"));
            CountDownLatch started = new CountDownLatch(1);
            Thread watcher = watch(first, started, dir.resolve("first.log"));
            try {
                awaitListening(dir.resolve("first.log"), first);
                assertEquals(0, Storescu.push(port, files));
                assertTrue(started.await(120, TimeUnit.SECONDS), "a workflow started");
            } finally {
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
                watcher.join(5000);
            }
            long doneAtKill = completed(home, ids);
            assertTrue(doneAtKill < ids.size(), "killed before every study was finished (" + doneAtKill + " done)");

            Process second = startNode(home, port, orthanc, dir.resolve("second.log"));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (completed(home, ids) < ids.size() && System.nanoTime() < deadline) {
                    assertTrue(second.isAlive(), "node died: " + Files.readString(dir.resolve("second.log")));
                    Thread.sleep(500);
                }
                assertEquals(ids.size(), completed(home, ids), "every study finished after the restart");
                for (StudyIdentity id : ids) {
                    assertEquals(1, orthanc.segInstancesOfStudy(id.studyInstanceUid()).size(),
                            "exactly one SEG for " + id.studyInstanceUid());
                }
            } finally {
                second.destroy();
                assertTrue(second.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the node");
            }
        }
    }

    private static long completed(Path home, List<StudyIdentity> ids) throws Exception {
        long n = 0;
        for (StudyIdentity id : ids) {
            Path r1 = home.resolve("studies").resolve(id.studyInstanceUid()).resolve("r1");
            if (Files.isDirectory(r1)) {
                try (var s = Files.list(r1)) {
                    n += s.anyMatch(d -> Files.exists(d.resolve("completed.json"))) ? 1 : 0;
                }
            }
        }
        return n;
    }

    private static Process startNode(Path home, int port, OrthancPacs orthanc, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx2g", "-jar", JAR.toString(), "node", "--home",
                home.toString(), "--pacs", orthanc.destination().toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MYOFLOW_DICOM_PORT", String.valueOf(port));
        pb.environment().put("MYOFLOW_KAFKA_PORT", "0");
        pb.environment().put("MYOFLOW_TEMPORAL_PORT", "0");
        pb.environment().put("MYOFLOW_DICOM_QUIET_SECONDS", "1");
        pb.environment().put("MYOFLOW_THREADS", "2");
        return pb.start();
    }

    private static void awaitListening(Path log, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "node exited: " + Files.readString(log));
            if (Files.readString(log).contains(" running: model ")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node did not start: " + Files.readString(log));
    }

    private static Thread watch(Process p, CountDownLatch started, Path log) {
        Thread t = new Thread(() -> {
            while (p.isAlive() && started.getCount() > 0) {
                try {
                    if (Files.readString(log).contains("event=workflow_started")) {
                        started.countDown();
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
