package org.myoflow.infra.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.dataset.LabelledCase;
import org.myoflow.model.dataset.MpiSpectDataset;
import org.myoflow.model.inference.Evaluator;
import org.myoflow.model.inference.SegmentationPipeline;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.metrics.SegmentationMetrics;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.render.CasePanels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main job on the embedded default. For now: generate phantom studies, write them in the MPI-SPECT layout, read
 * them back, segment them with the production U-Net (the model bundled in the jar on a fresh storage root) and with
 * the classical baseline, and score both against the ground truth.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate phantom SPECT studies, segment the LV myocardium, print per-case metrics, write PNGs.")
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

    @Option(names = "--home", description = "Storage root whose production model is used (default $MYOFLOW_HOME).")
    Path home;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        InfraConfig cfg = InfraConfig.fromEnvironment();
        Path root = out != null ? out : cfg.demoOutput();
        Path data = root.resolve("data");
        Path pictures = root.resolve("png");

        List<PhantomCase> phantoms = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            PhantomCase p = SpectPhantom.generate(String.format("phantom_%03d", i + 1), seed + i, PhantomOptions.mixed(i));
            MpiSpectDataset.write(data, p.id(), p.image(), p.myocardium());
            phantoms.add(p);
        }
        LOG.info("wrote {} phantom studies to {}", cases, data.toAbsolutePath());

        try (SegmenterChoice unet = SegmenterChoice.open("production", home != null ? home : cfg.storageRoot(),
                cfg.threads());
             SegmenterChoice classical = SegmenterChoice.open("classical", null, cfg.threads())) {
            w.printf("U-Net: %s (%s); baseline: classical threshold + shell selection%n", unet.label,
                    org.myoflow.model.network.DjlRuntime.describe());
            String header = String.format("%-12s %-34s %-9s %9s %9s %9s %7s %8s %8s %8s",
                    "case", "scenario", "grid", "UNet raw", "UNet post", "classical", "HD95mm", "myo mL", "vol err",
                    "UNet ms");
            w.println(header);
            w.println("-".repeat(header.length()));
            List<LabelledCase> dataset = MpiSpectDataset.open(data);
            List<Evaluator.CaseResult> unetResults = new ArrayList<>();
            List<Evaluator.CaseResult> classicalResults = new ArrayList<>();
            for (int i = 0; i < dataset.size(); i++) {
                LabelledCase.Loaded c = dataset.get(i).load();
                PhantomCase p = phantoms.get(i);
                String group = CaseSets.group(p.parameters().scenario());
                SegmentationPipeline.Result u = unet.pipeline.run(c.image());
                SegmentationPipeline.Result k = classical.pipeline.run(c.image());
                Evaluator.CaseResult ur = new Evaluator.CaseResult(c.id(), group, Metrics.compare(u.rawMask(), c.label()),
                        Metrics.compare(u.mask(), c.label()), u.totalMillis());
                Evaluator.CaseResult kr = new Evaluator.CaseResult(c.id(), group, Metrics.compare(k.rawMask(), c.label()),
                        Metrics.compare(k.mask(), c.label()), k.totalMillis());
                unetResults.add(ur);
                classicalResults.add(kr);
                SegmentationMetrics post = ur.post();
                w.printf("%-12s %-34s %-9s %9.3f %9.3f %9.3f %7s %8.1f %7.1f%% %8.0f%n", c.id(),
                        p.parameters().scenario(), c.image().grid().shapeString(), ur.raw().dice(), post.dice(),
                        kr.post().dice(),
                        Double.isFinite(post.hd95Mm()) ? String.format("%.1f", post.hd95Mm()) : "-",
                        post.referenceMl(), post.volumeErrorPercent(), u.totalMillis());
                w.flush();
                double[] ctr = c.label().centroidVoxel();
                CasePanels.write(pictures.resolve(c.id() + ".png"),
                        String.format("%s  %s  Dice U-Net %.3f (raw %.3f)  classical %.3f", c.id(),
                                p.parameters().scenario(), post.dice(), ur.raw().dice(), kr.post().dice()),
                        c.image(), List.of(new CasePanels.Panel("ground truth", c.label()),
                                new CasePanels.Panel("U-Net raw", u.rawMask()),
                                new CasePanels.Panel("U-Net postprocessed", u.mask()),
                                new CasePanels.Panel("classical", k.mask())),
                        new int[] {(int) Math.round(ctr[0]), (int) Math.round(ctr[1]), (int) Math.round(ctr[2])});
            }
            w.println("-".repeat(header.length()));
            for (String g : EvaluateCommand.groups(unetResults)) {
                Evaluator.Summary us = Evaluator.summarise(g, unetResults);
                Evaluator.Summary ks = Evaluator.summarise(g, classicalResults);
                w.printf("mean Dice %-7s (%2d studies): U-Net raw %.3f, postprocessed %.3f; classical %.3f%n",
                        us.group(), us.cases(), us.diceRaw(), us.dicePost(), ks.dicePost());
            }
        }
        w.printf("Studies (MPI-SPECT layout): %s%nPictures: %s%n", data.toAbsolutePath(), pictures.toAbsolutePath());
        w.flush();
        return 0;
    }
}
