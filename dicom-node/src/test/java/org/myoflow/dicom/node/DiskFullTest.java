package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.Part10;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.image.Resampler;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

/**
 * The node's storage fills up, for real: its root is a small tmpfs and a filler file takes the rest; dcmtk's storescu
 * pushes 128 KB CT frames. Nothing acknowledged may be lost, nothing may be acknowledged that is not kept, the node
 * keeps serving, and once space is freed the sender's retry is stored.
 */
class DiskFullTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path tmp;
    private Path disk;
    private Path filler;
    private boolean mounted;
    private DicomNode node;
    private SimpleMeterRegistry registry;
    private List<Path> study;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        // the journal's current segment and its spare (32 MB each) and the spool files
        DicomTools.Run mount = DicomTools.run(List.of("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs",
                disk.toString()));
        Assumptions.assumeTrue(mount.exit() == 0, "needs root to mount a small tmpfs: " + mount.output());
        mounted = true;
        filler = disk.resolve("filler");
        var phantom = SpectPhantom.generate("full", 71, PhantomOptions.normal()).image();
        Files.createDirectories(tmp.resolve("scanner"));
        study = CtStackWriter.write(Resampler.trilinear(phantom, 256, 256, 30), StudyIdentity.forSeed(71), 3, 100,
                tmp.resolve("scanner"));
    }

    @AfterEach
    void unmount() throws Exception {
        if (node != null) {
            node.close();
        }
        if (mounted) {
            DicomTools.run(List.of("umount", disk.toString()));
        }
    }

    @Test
    void belowTheReserveNewInstancesAreRefusedWithOutOfResourcesAndEveryAcknowledgedOneIsKept() throws Exception {
        start(4 * MB);
        leaveUsable(4 * MB + 3 * MB / 2); // room for about a dozen of the 30 frames above the reserve

        Map<Path, String> first = push(study);
        List<Path> stored = with(first, "Success");
        List<Path> refused = with(first, "Refused: OutOfResources");
        assertTrue(stored.size() >= 5 && refused.size() >= 5, first.toString());
        assertEquals(study.size(), stored.size() + refused.size(), first.toString());
        assertEquals(sops(stored), spooledSops(), "exactly the instances answered success are in the spool");
        assertEquals(0, quarantined(), "a refusal keeps nothing: the sender keeps the instance");
        assertEquals(refused.size(), count("refused"));
        assertEquals(stored.size(), count("stored"));
        assertServing();

        Files.delete(filler); // the operator frees space; the scanner sends the whole study again
        Map<Path, String> again = push(study);
        assertEquals(study.size(), with(again, "Success").size(), again.toString());
        assertEquals(sops(study), spooledSops());
        assertEquals(stored.size(), count("duplicate"));
        assertEquals(0, quarantined());
    }

    @Test
    void anInstanceAnsweredBeforeItsFileCouldBeWrittenIsPlacedWhenSpaceReturnsAndNothingNewIsTakenMeanwhile()
            throws Exception {
        start(0); // no reserve: the journal (preallocated) takes the instance, its spool file then finds no room
        leaveUsable(64 * 1024);

        Map<Path, String> answers = push(study.subList(0, 3));
        assertEquals(List.of("Success", "Refused: OutOfResources", "Refused: OutOfResources"),
                new ArrayList<>(answers.values()), answers.toString());
        assertEquals(Set.of(), spooledSops(), "no half-written file in the spool");
        assertEquals(1.0, registry.get("myoflow.dicom.spool.unplaced").gauge().value());

        Files.delete(filler);
        waitFor(() -> registry.get("myoflow.dicom.spool.unplaced").gauge().value() == 0, "the file retried");
        assertEquals(sops(study.subList(0, 1)), spooledSops());
        // the study assembler heard of it: with a quiet period of 1 s the study completes with that one instance
        waitFor(() -> registry.get("myoflow.dicom.completeness.latency").timer().count() == 1, "study complete");

        Map<Path, String> rest = push(study.subList(1, 3));
        assertEquals(2, with(rest, "Success").size(), rest.toString());
        assertEquals(sops(study.subList(0, 3)), spooledSops());
        assertEquals(0, quarantined());
        assertServing();
    }

    @Test
    void aNodeStoppedWithAnAcknowledgedInstanceUnwrittenReplaysItAtTheNextStartOnceThereIsRoom() throws Exception {
        start(0);
        leaveUsable(64 * 1024);
        assertEquals("Success", push(study.subList(0, 1)).values().iterator().next());
        node.close();
        node = null;

        IOException full = assertThrows(IOException.class, () -> start(0), "replay finds no room");
        assertTrue(full.getMessage().contains("journal could not be replayed")
                && full.getMessage().contains("nothing acknowledged is lost"), full.getMessage());

        Files.delete(filler);
        start(0);
        assertEquals(sops(study.subList(0, 1)), spooledSops());
        assertEquals(1, node.spool().size());
        assertServing();
    }

    private void start(long minFree) throws IOException {
        registry = new SimpleMeterRegistry();
        node = DicomNode.start(DicomNodeConfig.defaults(disk.resolve("home"))
                .withScp(ScpConfig.defaults().withPort(0)).withQuietPeriod(Duration.ofSeconds(1))
                .withMinFree(minFree), registry);
    }

    /** Waits for the journal's spare segment (made in the background), then fills the disk to leave this much. */
    private void leaveUsable(long bytes) throws Exception {
        Path journal = disk.resolve("home/spool/.journal");
        waitFor(() -> {
            try (var files = Files.list(journal)) {
                return files.filter(f -> f.getFileName().toString().matches("spare-\\d+\\.wal")).count() == 1;
            } catch (IOException e) {
                return false;
            }
        }, "the journal's spare segment");
        long fill = Files.getFileStore(disk).getUsableSpace() - bytes;
        try (FileChannel c = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate((int) MB);
            for (long at = 0; at < fill; ) {
                block.clear().limit((int) Math.min(MB, fill - at));
                at += c.write(block, at);
            }
        }
        long usable = Files.getFileStore(disk).getUsableSpace();
        assertTrue(Math.abs(usable - bytes) < 64 * 1024, "usable " + usable);
    }

    /** storescu, going on after a refusal (-nh); each file with the status it was answered, in the order sent. */
    private Map<Path, String> push(List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-nh", "-aet", "SCANNER", "-aec", "MYOFLOW",
                "127.0.0.1", String.valueOf(node.port())));
        files.forEach(f -> cmd.add(f.toString()));
        DicomTools.Run run = DicomTools.run(cmd);
        Map<Path, String> answers = new LinkedHashMap<>();
        Path sending = null;
        for (String line : run.output().split("\n")) {
            if (line.startsWith("I: Sending file: ")) {
                sending = Path.of(line.substring("I: Sending file: ".length()).trim());
            } else if (line.startsWith("I: Received Store Response (") && sending != null) {
                answers.put(sending, line.substring("I: Received Store Response (".length(), line.length() - 1));
                sending = null;
            }
        }
        assertEquals(files.size(), answers.size(), "every instance answered:\n" + run.output());
        return answers;
    }

    private static List<Path> with(Map<Path, String> answers, String status) {
        return answers.entrySet().stream().filter(e -> e.getValue().equals(status)).map(Map.Entry::getKey).toList();
    }

    private static Set<String> sops(List<Path> files) throws Exception {
        Set<String> s = new TreeSet<>();
        for (Path f : files) {
            s.add(Part10.sopInstanceUid(f));
        }
        return s;
    }

    /** The SOP Instance UIDs in the spool, each file checked to hold the data set the scanner sent, byte for byte. */
    private Set<String> spooledSops() throws Exception {
        Map<String, Path> sent = new LinkedHashMap<>();
        for (Path f : study) {
            sent.put(sops(List.of(f)).iterator().next(), f);
        }
        Set<String> found = new TreeSet<>();
        for (Path f : LiveFiles.find(disk.resolve("home/spool"), 4, p -> p.toString().endsWith(".dcm"))) {
            String sop = f.getFileName().toString().replace(".dcm", "");
            assertTrue(sent.containsKey(sop), f.toString());
            assertTrue(java.util.Arrays.equals(Part10.dataSet(sent.get(sop)), Part10.dataSet(f)), "data set of " + f);
            found.add(sop);
        }
        return found;
    }

    private long quarantined() throws Exception {
        return LiveFiles.find(disk.resolve("home/quarantine"), 1, p -> p.toString().endsWith(".dcm")).size();
    }

    private long count(String outcome) {
        return (long) registry.get("myoflow.dicom.instances").tag("outcome", outcome).counter().count();
    }

    private void assertServing() throws Exception {
        DicomTools.Run echo = DicomTools.echoscu(node.port(), "SCANNER");
        assertEquals(0, echo.exit(), echo.output());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
