package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.image.Resampler;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;

/**
 * The node process (the shipped jar) stopped in the middle of a storescu push. Killed with SIGKILL: every instance
 * storescu saw acknowledged is on disk after a restart, the cut-off one is settled (recovered or quarantined), and
 * pushing everything again completes the study with the rest recorded as duplicates. Stopped with SIGTERM (what
 * systemd and {@code docker stop} send first): the association in progress is served to its end, and the node leaves
 * every instance in place and nothing in the journal to replay; with no time to drain, the association is aborted
 * instead, and what it had answered is in place.
 */
class NodeCrashIT {
    private static final Path JAR = Path.of("target/myoflow.jar");

    @Test
    void killedMidPushLosesNothingAcknowledged(@TempDir Path home, @TempDir Path scanner) throws Exception {
        MidPush m = pushUntil30Spooled(home, scanner, 71);
        List<Path> files = m.files();
        List<String> acknowledged = m.acknowledged();
        Path spool = m.spool();
        Process node = m.node();
        Process push = m.push();
        Thread reader = m.reader();
        node.destroyForcibly();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        push.waitFor(60, TimeUnit.SECONDS);
        reader.join(10_000);
        assertNotEquals(0, push.exitValue(), "storescu saw the node die");
        assertTrue(acknowledged.size() >= 30 && acknowledged.size() < files.size(),
                "killed mid-push: " + acknowledged.size() + " of " + files.size() + " acknowledged");

        Process again = startNode(home);
        try {
            int port2 = awaitPort(again);
            assertOnDisk(spool, acknowledged);
            try (Stream<Path> s = Files.list(home.resolve("spool").resolve(".incoming"))) {
                assertTrue(s.noneMatch(p -> {
                    try {
                        return Files.size(p) > 0;
                    } catch (java.io.IOException e) {
                        return true;
                    }
                }), "no half-received part left in .incoming");
            }
            Process all = storescu(port2, files);
            all.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertTrue(all.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, all.exitValue(), "the node serves after the restart");
            assertEquals(files.size(), count(spool));
            long duplicates = Files.readAllLines(home.resolve("spool/duplicates.log")).size();
            assertTrue(duplicates >= acknowledged.size(), duplicates + " duplicates recorded");
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void stoppedMidPushServesTheAssociationToItsEndAndLeavesNothingToReplay(@TempDir Path home,
            @TempDir Path scanner) throws Exception {
        MidPush m = pushUntil30Spooled(home, scanner, 72);
        List<Path> files = m.files();
        List<String> acknowledged = m.acknowledged();
        Process node = m.node();
        Process push = m.push();
        int answeredAtStop;
        synchronized (acknowledged) {
            answeredAtStop = acknowledged.size();
        }
        node.destroy(); // SIGTERM
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node stopped");
        assertTrue(push.waitFor(60, TimeUnit.SECONDS));
        m.reader().join(10_000);
        assertTrue(answeredAtStop < files.size(), "stopped mid-push: " + answeredAtStop + " answered at the stop");
        assertEquals(0, push.exitValue(), "the association in progress was served to its end, not cut off");
        assertEquals(files.size(), acknowledged.size());
        // before any restart: every instance in its place, and the journal checkpointed (no segment left to replay)
        assertEquals(files.size(), count(m.spool()));
        assertNothingToReplay(home);
    }

    @Test
    void stoppedMidPushPastItsDrainLimitAbortsTheSenderAndKeepsEverythingItAnswered(@TempDir Path home,
            @TempDir Path scanner) throws Exception {
        MidPush m = pushUntil30Spooled(home, scanner, 73, "--stop-drain-seconds", "0");
        List<Path> files = m.files();
        List<String> acknowledged = m.acknowledged();
        m.node().destroy(); // SIGTERM, no time to drain: the push is cut off
        assertTrue(m.node().waitFor(30, TimeUnit.SECONDS), "the node stopped");
        assertTrue(m.push().waitFor(60, TimeUnit.SECONDS));
        m.reader().join(10_000);
        assertNotEquals(0, m.push().exitValue(), "storescu was told its association ended without release");
        assertTrue(acknowledged.size() >= 30 && acknowledged.size() < files.size(),
                "cut off mid-push: " + acknowledged.size() + " of " + files.size() + " answered");
        // before any restart: what was answered is in its place, and the journal was still checkpointed
        assertOnDisk(m.spool(), acknowledged);
        assertNothingToReplay(home);
    }

    /** A node, and storescu pushing a 120-instance CT study (128 KB each) to it, the node past its 30th instance. */
    private record MidPush(Process node, Process push, Thread reader, List<Path> files, List<String> acknowledged,
                           Path spool) {
    }

    private static MidPush pushUntil30Spooled(Path home, Path scanner, int seed, String... nodeOptions)
            throws Exception {
        Volume v = SpectPhantom.generate("mid-push", seed, PhantomOptions.normal()).image();
        v = Resampler.trilinear(v, 256, 256, 120);
        List<Path> files = CtStackWriter.write(v, StudyIdentity.forSeed(seed), 2, 100, scanner);
        Path spool = home.resolve("spool").resolve(StudyIdentity.forSeed(seed).studyInstanceUid());
        Process node = startNode(home, nodeOptions);
        int port = awaitPort(node);
        List<String> acknowledged = new ArrayList<>();
        Process push = storescu(port, files);
        Thread reader = new Thread(() -> readAcks(push, files, acknowledged));
        reader.start();
        for (int i = 0; i < 400 && count(spool) < 30; i++) {
            Thread.sleep(10);
        }
        return new MidPush(node, push, reader, files, acknowledged, spool);
    }

    private static Process startNode(Path home, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "dicom-node", "--home",
                home.toString(), "--port", "0", "--quiet-seconds", "60"));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static int awaitPort(Process node) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.contains("listening on"), "node did not start: " + line);
        return Integer.parseInt(line.replaceAll(".*:(\\d+), storage.*", "$1"));
    }

    private static Process storescu(int port, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aet", "SCANNER", "-aec", "MYOFLOW",
                "127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        return pb.start();
    }

    /** storescu sends the files in order, one at a time: the k-th success answers the k-th file. */
    private static void readAcks(Process push, List<Path> files, List<String> acknowledged) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(push.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.contains("Received Store Response (Success)")) {
                    synchronized (acknowledged) {
                        acknowledged.add(sopOf(files.get(acknowledged.size())));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sopOf(Path file) throws Exception {
        com.pixelmed.dicom.AttributeList meta = new com.pixelmed.dicom.AttributeList();
        meta.readOnlyMetaInformationHeader(file.toFile());
        return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(meta,
                com.pixelmed.dicom.TagFromName.MediaStorageSOPInstanceUID);
    }

    private static void assertOnDisk(Path spool, List<String> acknowledged) throws Exception {
        synchronized (acknowledged) {
            for (String sop : acknowledged) {
                assertEquals(1, LiveFiles.find(spool, 2, p -> p.getFileName().toString().equals(sop + ".dcm"))
                        .size(), "acknowledged instance " + sop + " is on disk");
            }
        }
    }

    /** A clean stop checkpointed the journal: no segment is left for the next start to replay. */
    private static void assertNothingToReplay(Path home) throws Exception {
        try (Stream<Path> s = Files.list(home.resolve("spool/.journal"))) {
            List<Path> left = s.filter(p -> p.getFileName().toString().matches("[0-9]+\\.wal")).toList();
            assertEquals(List.of(), left, "journal segments left for a replay");
        }
    }

    private static long count(Path dir) throws Exception {
        return LiveFiles.find(dir, 2, p -> p.toString().endsWith(".dcm")).size();
    }
}
