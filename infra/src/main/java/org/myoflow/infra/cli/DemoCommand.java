package org.myoflow.infra.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.dataset.LabelledCase;
import org.myoflow.model.dataset.MpiSpectDataset;
import org.myoflow.model.inference.SegmentationPipeline;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.metrics.SegmentationMetrics;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.postprocess.PostprocessConfig;
import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.render.CasePanels;
import org.myoflow.model.segment.ThresholdShellSegmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main job on the embedded default. For now: generate phantom studies, write them in the MPI-SPECT layout, read
 * them back, run the imaging chain (preprocess, segment, postprocess) and score it against the ground truth.
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

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Path root = out != null ? out : InfraConfig.fromEnvironment().demoOutput();
        Path data = root.resolve("data");
        Path pictures = root.resolve("png");
        SegmentationPipeline pipeline = new SegmentationPipeline(new Preprocessor(PreprocessConfig.defaults()),
                ThresholdShellSegmenter.defaults(), new Postprocessor(PostprocessConfig.defaults()));

        List<PhantomCase> phantoms = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            long s = seed + i;
            PhantomCase p = SpectPhantom.generate(String.format("phantom_%03d", i + 1), s, PhantomOptions.mixed(i));
            MpiSpectDataset.write(data, p.id(), p.image(), p.myocardium());
            phantoms.add(p);
        }
        LOG.info("wrote {} phantom studies to {}", cases, data.toAbsolutePath());

        w.printf("Segmenter: %s   preprocessing: %s   postprocessing: %s%n", pipeline.segmenter().name(),
                PreprocessConfig.defaults().normalisation() + " to 64x64x56", "defaults");
        String header = String.format("%-12s %-34s %-10s %8s %9s %8s %7s %9s %8s %8s",
                "case", "scenario", "grid", "Dice raw", "Dice post", "IoU", "HD95mm", "myo mL", "vol err", "time ms");
        w.println(header);
        w.println("-".repeat(header.length()));
        List<LabelledCase> dataset = MpiSpectDataset.open(data);
        double[] sums = new double[4];
        int[] counts = new int[2];
        for (int i = 0; i < dataset.size(); i++) {
            LabelledCase.Loaded c = dataset.get(i).load();
            PhantomCase p = phantoms.get(i);
            SegmentationPipeline.Result r = pipeline.run(c.image());
            SegmentationMetrics raw = Metrics.compare(r.rawMask(), c.label());
            SegmentationMetrics post = Metrics.compare(r.mask(), c.label());
            w.printf("%-12s %-34s %-10s %8.3f %9.3f %8.3f %7s %9.1f %7.1f%% %8.0f%n", c.id(),
                    p.parameters().scenario(), c.image().grid().shapeString(), raw.dice(), post.dice(), post.iou(),
                    Double.isFinite(post.hd95Mm()) ? String.format("%.1f", post.hd95Mm()) : "-", post.referenceMl(), post.volumeErrorPercent(), r.totalMillis());
            int k = p.parameters().scenario().equals("normal") ? 0 : 1;
            sums[2 * k] += raw.dice();
            sums[2 * k + 1] += post.dice();
            counts[k]++;
            double[] ctr = c.label().centroidVoxel();
            CasePanels.write(pictures.resolve(c.id() + ".png"),
                    String.format("%s  %s  Dice raw %.3f  post %.3f", c.id(), p.parameters().scenario(), raw.dice(),
                            post.dice()),
                    c.image(), List.of(new CasePanels.Panel("ground truth", c.label()),
                            new CasePanels.Panel("raw " + pipeline.segmenter().name(), r.rawMask()),
                            new CasePanels.Panel("postprocessed", r.mask())),
                    new int[] {(int) Math.round(ctr[0]), (int) Math.round(ctr[1]), (int) Math.round(ctr[2])});
        }
        w.println("-".repeat(header.length()));
        if (counts[0] > 0) {
            w.printf("mean Dice, normal studies (%d):        raw %.3f  postprocessed %.3f%n", counts[0],
                    sums[0] / counts[0], sums[1] / counts[0]);
        }
        if (counts[1] > 0) {
            w.printf("mean Dice, hot liver/bowel + defects (%d): raw %.3f  postprocessed %.3f%n", counts[1],
                    sums[2] / counts[1], sums[3] / counts[1]);
        }
        w.printf("Studies (MPI-SPECT layout): %s%nPictures: %s%n", data.toAbsolutePath(), pictures.toAbsolutePath());
        w.flush();
        return 0;
    }
}
