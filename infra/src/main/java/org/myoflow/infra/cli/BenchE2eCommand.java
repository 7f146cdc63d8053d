package org.myoflow.infra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.scu.PacsDestination;
import org.myoflow.dicom.scu.StorageScu;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.PetStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.InfraConfig;
import org.myoflow.infra.node.MyoflowNode;
import org.myoflow.infra.stack.OrthancPacs;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.StudyReceived;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end latency and throughput on the embedded default against a real Orthanc, with the bare compute of the same
 * studies (preprocess, network, postprocess in-process: the work no orchestration can avoid) measured in the same run
 * as the reference. Latency = last instance acknowledged → SEG stored in Orthanc; the completeness wait (last instance
 * → study declared complete) is reported separately and subtracted. Prints one JSON line; {@code bench/e2e.sh} records
 * it.
 */
@Command(name = "bench-e2e", mixinStandardHelpOptions = true,
        description = "Measure last-instance-to-SEG-in-PACS latency and sustained studies/hour (embedded stack).")
public final class BenchE2eCommand implements Callable<Integer> {
    @Option(names = "--latency-studies", defaultValue = "10", description = "Studies pushed one at a time.")
    int latencyStudies;

    @Option(names = "--burst-studies", defaultValue = "12", description = "Studies pushed back to back.")
    int burstStudies;

    @Option(names = "--out", defaultValue = "target/bench-e2e", description = "Scratch folder (wiped).")
    Path out;

    private record Study(StudyIdentity id, List<Path> files, String modality, PhantomCase phantom) {
    }

    @Override
    public Integer call() throws Exception {
        InfraConfig cfg = InfraConfig.fromEnvironment();
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Path storage = out.resolve("home");
        List<Study> latency = studies(out.resolve("scanner"), 7000, latencyStudies);
        List<Study> burst = studies(out.resolve("scanner"), 8000, burstStudies);
        ObjectMapper json = new ObjectMapper();
        ObjectNode r = json.createObjectNode();
        try (OrthancPacs orthanc = OrthancPacs.start(out.resolve("orthanc"), 0, 0);
             MyoflowNode node = MyoflowNode.all(storage, StackConfig.fromEnvironment().withEmbeddedPorts(0, 0)
                     .withPacs(List.of(orthanc.destination())), DicomNodeConfig.defaults(storage)
                     .withScp(ScpConfig.defaults().withPort(0)).withQuietPeriod(Duration.ofSeconds(2)),
                     cfg.threads(), new SimpleMeterRegistry());
             SegmenterChoice bare = SegmenterChoice.open("production", storage, cfg.threads())) {
            PacsDestination myoflow = new PacsDestination("MYOFLOW", "127.0.0.1", node.dicomPort());
            // warm-up: one study of each kind through the whole path (JIT, engine, Orthanc)
            for (Study s : studies(out.resolve("scanner"), 6000, 2)) {
                StorageScu.send(myoflow, "SCANNER", s.files());
                await(orthanc, s, 120);
            }
            List<Double> total = new ArrayList<>();
            List<Double> waits = new ArrayList<>();
            List<Double> noWait = new ArrayList<>();
            List<Double> compute = new ArrayList<>();
            for (Study s : latency) {
                StorageScu.send(myoflow, "SCANNER", s.files());
                long t0 = System.nanoTime();
                Instant acked = Instant.now();
                await(orthanc, s, 120);
                double t = (System.nanoTime() - t0) / 1e9;
                StudyReceived rec = EventJson.fromBytes(Files.readAllBytes(storage.resolve("studies")
                        .resolve(s.id().studyInstanceUid()).resolve("r1/study-received.json")), StudyReceived.class);
                double wait = Math.max(0, Duration.between(acked, rec.completedAt()).toMillis() / 1e3);
                total.add(t);
                waits.add(wait);
                noWait.add(t - wait);
                long c0 = System.nanoTime();
                bare.pipeline.run(s.phantom().image());
                compute.add((System.nanoTime() - c0) / 1e9);
            }
            long b0 = System.nanoTime();
            for (Study s : burst) {
                StorageScu.send(myoflow, "SCANNER", s.files());
            }
            for (Study s : burst) {
                await(orthanc, s, 600);
            }
            double burstSeconds = (System.nanoTime() - b0) / 1e9;
            r.put("studies_latency", latency.size());
            r.put("latency_total_p50_s", pct(total, 50));
            r.put("latency_total_p95_s", pct(total, 95));
            r.put("completeness_wait_p50_s", pct(waits, 50));
            r.put("completeness_wait_p95_s", pct(waits, 95));
            r.put("latency_excl_wait_p50_s", pct(noWait, 50));
            r.put("latency_excl_wait_p95_s", pct(noWait, 95));
            r.put("bare_compute_p50_s", pct(compute, 50));
            r.put("bare_compute_p95_s", pct(compute, 95));
            r.put("studies_burst", burst.size());
            r.put("burst_seconds", burstSeconds);
            r.put("studies_per_hour", burst.size() * 3600 / burstSeconds);
            r.put("engine", org.myoflow.model.network.DjlRuntime.describe());
            r.put("threads", cfg.threads());
            r.put("model", node.modelVersion());
        }
        System.out.println(json.writeValueAsString(r));
        return 0;
    }

    private static List<Study> studies(Path dir, long seed, int n) throws Exception {
        List<Study> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PhantomCase p = SpectPhantom.generate("bench-" + (seed + i), seed + i, PhantomOptions.mixed(i));
            StudyIdentity id = StudyIdentity.forSeed(seed + i);
            Path d = Files.createDirectories(dir.resolve(String.valueOf(seed + i)));
            if (i % 2 == 0) {
                Path f = d.resolve("nm.dcm");
                NmReconTomoWriter.write(p.image(), id, 1, f);
                out.add(new Study(id, List.of(f), "NM", p));
            } else {
                out.add(new Study(id, PetStackWriter.write(p.image(), id, 2, 100, d), "PT", p));
            }
        }
        return out;
    }

    private static void await(OrthancPacs orthanc, Study s, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (orthanc.segInstancesOfStudy(s.id().studyInstanceUid()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no SEG for " + s.id().studyInstanceUid() + " in " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    private static double pct(List<Double> v, int p) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
