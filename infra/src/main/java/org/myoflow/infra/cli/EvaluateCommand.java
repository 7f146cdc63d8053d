package org.myoflow.infra.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.inference.Evaluator;
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

    @Override
    public Integer call() throws Exception {
        InfraConfig cfg = InfraConfig.fromEnvironment();
        PrintWriter w = spec.commandLine().getOut();
        List<Evaluator.Case> cases = data != null ? CaseSets.dataset(data) : CaseSets.phantoms(PhantomSets.heldOut());
        try (SegmenterChoice s = SegmenterChoice.open(model, home != null ? home : cfg.storageRoot(), cfg.threads())) {
            List<Evaluator.CaseResult> results = new ArrayList<>();
            Evaluator ev = new Evaluator(s.pipeline);
            w.printf("Model: %s on %d cases (%s)%n", s.label, cases.size(),
                    data != null ? data : "fixed held-out phantoms, seeds " + PhantomSets.HELD_OUT + "+");
            w.printf("%-16s %-8s %8s %9s %7s %7s %8s %8s%n", "case", "group", "Dice raw", "Dice post", "IoU",
                    "HD95mm", "vol err", "ms");
            for (Evaluator.Case c : cases) {
                Evaluator.CaseResult r = ev.evaluate(c);
                results.add(r);
                w.printf("%-16s %-8s %8.3f %9.3f %7.3f %7.1f %7.1f%% %8.0f%n", r.id(), r.group(), r.raw().dice(),
                        r.post().dice(), r.post().iou(), r.post().hd95Mm(), r.post().volumeErrorPercent(), r.millis());
                w.flush();
            }
            w.println();
            printSummaries(w, results);
        }
        w.flush();
        return 0;
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
