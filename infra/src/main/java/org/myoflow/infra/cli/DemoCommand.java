package org.myoflow.infra.cli;

import com.pixelmed.dicom.AttributeList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.scu.PacsDestination;
import org.myoflow.dicom.scu.StorageScu;
import org.myoflow.dicom.results.SegmentationReader;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.PetStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.InfraConfig;
import org.myoflow.infra.node.MyoflowNode;
import org.myoflow.infra.stack.OrthancPacs;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.metrics.SegmentationMetrics;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.render.CasePanels;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.SegmentationCompleted;
import org.myoflow.workflows.events.StudyReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on the embedded default, for real: a PACS (Orthanc) and the whole Myoflow stack (DICOM node, embedded
 * Kafka and Temporal, workers) start on loopback; the scanner simulator pushes phantom studies (NM multi-frame and PET
 * single-frame stacks) by C-STORE; the SEGs are fetched back from the PACS and scored against the phantoms' ground
 * truth, next to the classical baseline run in-process on the same image.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a PACS and the embedded stack, push phantom studies by C-STORE, wait for the SEGs in "
                + "the PACS, print Dice, latency, model and device per study, write overlay PNGs.")
public final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--cases", defaultValue = "6", description = "Number of phantom studies (default ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--seed", defaultValue = "20261123", description = "First phantom seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output folder (default $MYOFLOW_DEMO_OUT or ./demo-output).")
    Path out;

    @Option(names = "--home", description = "Storage root (default: <out>/home, fresh for each demo).")
    Path home;

    @Option(names = "--timeout", defaultValue = "300", description = "Seconds to wait for all SEGs.")
    int timeoutSeconds;

    record Pushed(PhantomCase phantom, StudyIdentity id, String modality, long lastInstanceNanos,
                  java.time.Instant lastInstanceAt) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        InfraConfig cfg = InfraConfig.fromEnvironment();
        Path root = out != null ? out : cfg.demoOutput();
        Path storage = home != null ? home : root.resolve("home");
        Path scanner = root.resolve("scanner");
        Path pictures = root.resolve("png");
        // a demo starts from nothing: a fresh PACS and (unless --home is given) a fresh storage root
        deleteRecursively(root.resolve("orthanc"));
        if (home == null) {
            deleteRecursively(storage);
        }

        try (OrthancPacs orthanc = OrthancPacs.start(root.resolve("orthanc"), 0, 0);
             MyoflowNode node = MyoflowNode.all(storage, StackConfig.fromEnvironment().withEmbeddedPorts(0, 0)
                     .withPacs(List.of(orthanc.destination())), DicomNodeConfig.defaults(storage)
                     .withScp(ScpConfig.defaults().withPort(0)).withQuietPeriod(Duration.ofSeconds(2)), cfg.threads(),
                     new SimpleMeterRegistry());
             SegmenterChoice classical = SegmenterChoice.open("classical", null, cfg.threads())) {
            w.printf("PACS: Orthanc %s (REST http://127.0.0.1:%d); Myoflow node MYOFLOW@127.0.0.1:%d, model %s%n",
                    orthanc.destination(), orthanc.httpPort(), node.dicomPort(), node.modelVersion());
            w.flush();
            PacsDestination myoflow = new PacsDestination("MYOFLOW", "127.0.0.1", node.dicomPort());
            List<Pushed> pushed = new ArrayList<>();
            for (int i = 0; i < cases; i++) {
                PhantomCase p = SpectPhantom.generate(String.format("study_%03d", i + 1), seed + i,
                        PhantomOptions.mixed(i));
                StudyIdentity id = StudyIdentity.forSeed(seed + i);
                Path dir = Files.createDirectories(scanner.resolve(p.id()));
                List<Path> files;
                String modality;
                if (i % 2 == 0) {
                    Path f = dir.resolve("nm-recon-tomo.dcm");
                    NmReconTomoWriter.write(p.image(), id, 1, f);
                    files = List.of(f);
                    modality = "NM";
                } else {
                    files = PetStackWriter.write(p.image(), id, 2, 100, dir);
                    modality = "PT";
                }
                StorageScu.send(myoflow, "SCANNER", files);
                pushed.add(new Pushed(p, id, modality, System.nanoTime(), java.time.Instant.now()));
                LOG.info("event=demo_pushed study={} modality={} instances={}", id.studyInstanceUid(), modality,
                        files.size());
            }

            String header = String.format("%-10s %-3s %-26s %8s %9s %8s %8s %9s %9s  %-5s %s", "study", "mod",
                    "scenario", "Dice SEG", "classical", "myo mL", "vol err", "to PACS s", "no wait s", "model",
                    "device");
            w.println(header);
            w.println("-".repeat(header.length()));
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            // poll every study until its SEG is in the PACS, noting when each one arrived
            java.util.Map<Pushed, Long> arrived = new java.util.HashMap<>();
            java.util.Map<Pushed, String> segIds = new java.util.HashMap<>();
            while (arrived.size() < pushed.size() && System.nanoTime() < deadline) {
                for (Pushed s : pushed) {
                    if (!arrived.containsKey(s)) {
                        List<String> found = orthanc.segInstancesOfStudy(s.id().studyInstanceUid());
                        if (!found.isEmpty()) {
                            arrived.put(s, System.nanoTime());
                            segIds.put(s, found.get(0));
                        }
                    }
                }
                Thread.sleep(50);
            }
            List<Double> latencies = new ArrayList<>();
            int failures = 0;
            for (Pushed s : pushed) {
                String study = s.id().studyInstanceUid();
                if (!arrived.containsKey(s)) {
                    w.printf("%-10s %-3s no SEG in the PACS within %d s%n", s.phantom().id(), s.modality(),
                            timeoutSeconds);
                    failures++;
                    continue;
                }
                double toPacs = (arrived.get(s) - s.lastInstanceNanos()) / 1e9;
                Path run = storage.resolve("studies").resolve(study).resolve("r1")
                        .resolve("myoflow-" + node.modelVersion());
                SegmentationCompleted done = awaitCompleted(run.resolve("completed.json"), deadline);
                StudyReceived received = EventJson.fromBytes(Files.readAllBytes(storage.resolve("studies")
                        .resolve(study).resolve("r1").resolve("study-received.json")), StudyReceived.class);
                // the completeness wait: last instance acknowledged -> the node declares the study complete
                double wait = Math.max(0, Duration.between(s.lastInstanceAt(), received.completedAt()).toMillis()
                        / 1e3);
                AttributeList seg = new AttributeList();
                seg.read(new com.pixelmed.dicom.DicomInputStream(new ByteArrayInputStream(
                        orthanc.download("/instances/" + segIds.get(s) + "/file"))));
                BinaryMask fromPacs = SegmentationReader.read(seg, s.phantom().image().grid(), 1);
                SegmentationMetrics m = Metrics.compare(fromPacs, s.phantom().myocardium());
                BinaryMask baseline = classical.pipeline.run(s.phantom().image()).mask();
                double classicalDice = Metrics.compare(baseline, s.phantom().myocardium()).dice();
                double noWait = toPacs - wait;
                latencies.add(noWait);
                w.printf("%-10s %-3s %-26s %8.3f %9.3f %8.1f %7.1f%% %9.2f %9.2f  %-5s %s%n", s.phantom().id(),
                        s.modality(), s.phantom().parameters().scenario(), m.dice(), classicalDice,
                        m.referenceMl(), m.volumeErrorPercent(), toPacs, noWait,
                        done == null ? "?" : done.modelVersion(), done == null ? "?" : done.device());
                w.flush();
                double[] ctr = s.phantom().myocardium().centroidVoxel();
                CasePanels.write(pictures.resolve(s.phantom().id() + ".png"),
                        String.format("%s %s  SEG from PACS Dice %.3f  classical %.3f  model %s", s.phantom().id(),
                                s.modality(), m.dice(), classicalDice, node.modelVersion()),
                        s.phantom().image(), List.of(new CasePanels.Panel("ground truth", s.phantom().myocardium()),
                                new CasePanels.Panel("SEG from PACS", fromPacs),
                                new CasePanels.Panel("classical", baseline)),
                        new int[] {(int) Math.round(ctr[0]), (int) Math.round(ctr[1]), (int) Math.round(ctr[2])});
            }
            w.println("-".repeat(header.length()));
            latencies.sort(Double::compare);
            if (!latencies.isEmpty()) {
                w.printf("%d of %d studies came back as SEGs; latency excluding the completeness wait: median %.2f s,"
                        + " max %.2f s%n", latencies.size(), pushed.size(), latencies.get(latencies.size() / 2),
                        latencies.get(latencies.size() - 1));
            }
            w.printf("Studies as pushed: %s%nOverlays (PNG): %s%nStorage root: %s%n", scanner.toAbsolutePath(),
                    pictures.toAbsolutePath(), storage.toAbsolutePath());
            w.flush();
            return failures == 0 ? 0 : 1;
        }
    }

    private static SegmentationCompleted awaitCompleted(Path file, long deadline) throws Exception {
        while (Files.notExists(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return Files.exists(file) ? EventJson.fromBytes(Files.readAllBytes(file), SegmentationCompleted.class) : null;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.notExists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
