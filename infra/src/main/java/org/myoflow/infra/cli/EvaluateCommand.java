package org.myoflow.infra.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.inference.Evaluator;
import org.myoflow.model.inference.SegmentationPipeline;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.phantom.PhantomParameters;
import org.myoflow.model.phantom.PhantomSets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a model (or the classical baseline) per case and in summary, raw and after postprocessing. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model on a dataset or on the fixed held-out phantoms (Dice, IoU, HD95, volume error).")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "production",
            description = "A registry version, 'production' or 'classical' (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", description = "Dataset folder (MPI-SPECT or Decathlon layout); default: held-out phantoms.")
    Path data;

    @Option(names = "--home", description = "Storage root holding models/ (default $MYOFLOW_HOME).")
    Path home;

    @Option(names = "--psf-fwhm", description = "The held-out phantoms seen by one camera of this resolution in mm "
            + "(default: 12-16 mm drawn per case, the fixed held-out set).")
    Double psfFwhm;

    @Option(names = "--training-phantoms", description = "Score on this many training-set phantoms instead of the "
            + "held-out set (to tune a pipeline stage without looking at the held-out cases).")
    Integer trainingPhantoms;

    @Option(names = "--uncalibrated", description = "Score the network and clean-up alone, without the model "
            + "version's volume calibration.")
    boolean uncalibrated;

    @Option(names = "--camera-unknown", description = "Withhold the phantoms' camera resolution from the volume "
            + "calibration, as for a scanner whose resolution is not configured (default: given, as configured).")
    boolean cameraUnknown;

    @Option(names = "--save", description = "Write each case's image, truth, probability map and mask here (NIfTI).")
    Path save;

    @Override
    public Integer call() throws Exception {
        InfraConfig cfg = InfraConfig.fromEnvironment();
        PrintWriter w = spec.commandLine().getOut();
        if (data != null && trainingPhantoms != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--data and --training-phantoms both name the cases to score: give one");
        }
        Map<String, PhantomParameters> phantoms = new HashMap<>();
        List<Evaluator.Case> cases = data != null ? CaseSets.dataset(data)
                : CaseSets.phantoms(PhantomSets.withPsfFwhm(trainingPhantoms != null
                        ? PhantomSets.training(trainingPhantoms) : PhantomSets.heldOut(), psfFwhm), phantoms);
        if (cameraUnknown) {
            cases = cases.stream().map(c -> new Evaluator.Case(c.id(), c.group(), c.image(), c.truth())).toList();
        }
        if (save != null) {
            Files.createDirectories(save);
        }
        try (SegmenterChoice s = SegmenterChoice.open(model, home != null ? home : cfg.storageRoot(), cfg.threads())) {
            List<Evaluator.CaseResult> results = new ArrayList<>();
            SegmentationPipeline pipeline = uncalibrated ? s.pipeline.uncalibrated() : s.pipeline;
            Evaluator ev = new Evaluator(pipeline);
            w.printf("Model: %s%s on %d cases (%s)%n", s.label, !pipeline.calibrated() ? ""
                            : cameraUnknown ? ", volume calibration without the camera's resolution"
                            : ", volume calibration with the camera's resolution where known", cases.size(),
                    data != null ? data : (trainingPhantoms != null ? "training phantoms, seeds " + PhantomSets.TRAINING
                            : "fixed held-out phantoms, seeds " + PhantomSets.HELD_OUT) + "+"
                            + (psfFwhm == null ? "" : ", every case at PSF FWHM " + psfFwhm + " mm"));
            w.printf("%-16s %-8s %8s %9s %7s %7s %8s %8s%s%s%n", "case", "group", "Dice raw", "Dice post", "IoU",
                    "HD95mm", "vol err", "ms", pipeline.calibrated() ? "  vol x" : "",
                    phantoms.isEmpty() ? "" : "  wall mm  PSF mm");
            for (Evaluator.Case c : cases) {
                SegmentationPipeline.Result[] last = new SegmentationPipeline.Result[1];
                Evaluator.CaseResult r = ev.evaluate(c, out -> {
                    last[0] = out;
                    saveOutputs(c, out);
                });
                results.add(r);
                PhantomParameters p = phantoms.get(r.id());
                w.printf("%-16s %-8s %8.3f %9.3f %7.3f %7.1f %7.1f%% %8.0f%s%s%n", r.id(), r.group(), r.raw().dice(),
                        r.post().dice(), r.post().iou(), r.post().hd95Mm(), r.post().volumeErrorPercent(), r.millis(),
                        last[0].correction() == null ? "" : String.format("  %5.3f", last[0].correction().ratio()),
                        p == null ? "" : String.format("  %7.1f  %6.1f", p.wallThickness(), p.psfFwhmMm()));
                w.flush();
            }
            w.println();
            printSummaries(w, results);
            if (phantoms.size() > 2) {
                printThicknessDependence(w, results, phantoms);
            }
        }
        w.flush();
        return 0;
    }

    private void saveOutputs(Evaluator.Case c, SegmentationPipeline.Result out) {
        if (save == null) {
            return;
        }
        try {
            Nifti.write(save.resolve(c.id() + "_image.nii.gz"), c.image(), NiftiDataType.FLOAT32);
            Nifti.write(save.resolve(c.id() + "_truth.nii.gz"), c.truth());
            Nifti.write(save.resolve(c.id() + "_probabilities.nii.gz"), out.probabilities(), NiftiDataType.FLOAT32);
            Nifti.write(save.resolve(c.id() + "_mask.nii.gz"), out.mask());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + c.id() + " to " + save, e);
        }
    }

    static void printSummaries(PrintWriter w, List<Evaluator.CaseResult> results) {
        w.printf("%-8s %5s %8s %9s %7s %7s %12s%n", "group", "cases", "Dice raw", "Dice post", "IoU", "HD95mm",
                "|vol err|");
        for (String g : groups(results)) {
            Evaluator.Summary s = Evaluator.summarise(g, results);
            w.printf("%-8s %5d %8.3f %9.3f %7.3f %7.1f %11.1f%%%n", s.group(), s.cases(), s.diceRaw(), s.dicePost(),
                    s.iou(), s.hd95Mm(), s.meanAbsVolumeErrorPercent());
        }
    }

    /**
     * How much of the volume error follows the phantoms' true wall thickness: a model that draws the same wall whatever
     * the image shows has a slope of about -100 % / mean thickness and a high |r|; what remains is the rest.
     */
    static void printThicknessDependence(PrintWriter w, List<Evaluator.CaseResult> results,
                                         Map<String, PhantomParameters> phantoms) {
        int n = results.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = phantoms.get(results.get(i).id()).wallThickness();
            y[i] = results.get(i).post().volumeErrorPercent();
        }
        double mx = java.util.Arrays.stream(x).average().orElse(0);
        double my = java.util.Arrays.stream(y).average().orElse(0);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        double r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
        double residual = 0;
        for (int i = 0; i < n; i++) {
            residual += Math.abs(y[i] - (my + slope * (x[i] - mx)));
        }
        w.printf("%nvolume error vs true wall thickness: r %.2f, slope %.1f %%/mm (a constant wall would give %.1f), "
                + "mean |error| left after the linear fit %.1f%%%n", r, slope, -100 / mx, residual / n);
    }

    static List<String> groups(List<Evaluator.CaseResult> results) {
        List<String> g = new ArrayList<>();
        for (Evaluator.CaseResult r : results) {
            if (!g.contains(r.group())) {
                g.add(r.group());
            }
        }
        if (g.size() > 1) {
            g.add(null);
        }
        return g;
    }
}
