package org.myoflow.infra.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.inference.Evaluator;
import org.myoflow.model.inference.UNetSegmenter;
import org.myoflow.model.network.UNetConfig;
import org.myoflow.model.phantom.PhantomSets;
import org.myoflow.model.postprocess.PostprocessConfig;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import org.myoflow.model.render.TrainingCurve;
import org.myoflow.model.training.EpochStats;
import org.myoflow.model.training.TrainingCase;
import org.myoflow.model.training.TrainingConfig;
import org.myoflow.model.training.TrainingResult;
import org.myoflow.model.training.UNetTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a U-Net, scores it on the fixed held-out set, writes its curve, report and manifest into the registry, and
 * (with --promote) makes it production if it beats the current production model there.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the 3-D U-Net on phantoms or a dataset; register it with its held-out metrics.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Dataset folder (MPI-SPECT or Decathlon); default: generated phantoms.")
    Path data;

    @Option(names = "--phantoms", defaultValue = "80", description = "Training phantoms (default ${DEFAULT-VALUE}).")
    int phantoms;

    @Option(names = "--validation", defaultValue = "12",
            description = "Validation phantoms, or cases held back from --data (default ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--recipe", defaultValue = "default", description = "default or seeds (the seeds' recipe).")
    String recipe;

    @Option(names = "--epochs", description = "Override the recipe's epochs.")
    Integer epochs;

    @Option(names = "--base", description = "Override the base channel count.")
    Integer base;

    @Option(names = "--depth", description = "Override the depth.")
    Integer depth;

    @Option(names = "--seed", description = "Override the training seed.")
    Long seed;

    @Option(names = "--version", required = true, description = "Version name in the registry.")
    String version;

    @Option(names = "--promote", description = "Promote if it beats production on the held-out set.")
    boolean promote;

    @Option(names = "--home", description = "Storage root (default $MYOFLOW_HOME).")
    Path home;

    @Option(names = "--psf-fwhm", description = "Phantoms (training, validation, held-out) seen by one camera of this "
            + "resolution in mm, instead of 12-16 mm drawn per case. A diagnostic: such a model cannot be promoted.")
    Double psfFwhm;

    @Override
    public Integer call() throws Exception {
        InfraConfig cfg = InfraConfig.fromEnvironment();
        PrintWriter w = spec.commandLine().getOut();
        Path root = home != null ? home : cfg.storageRoot();
        TrainingConfig tc = switch (recipe) {
            case "default" -> TrainingConfig.defaults();
            case "seeds" -> TrainingConfig.seedsRecipe();
            default -> throw new IllegalArgumentException("unknown recipe " + recipe + " (default, seeds)");
        };
        if (epochs != null) {
            tc = tc.withEpochs(epochs);
        }
        if (base != null || depth != null) {
            UNetConfig n = tc.network();
            tc = tc.withNetwork(new UNetConfig(depth != null ? depth : n.depth(), base != null ? base : n.baseChannels(),
                    n.normalisation(), n.upsampling()));
        }
        if (seed != null) {
            tc = tc.withSeed(seed);
        }
        tc = new TrainingConfig(tc.name(), tc.network(), tc.loss(), tc.learningRate(), tc.epochs(), tc.batchSize(),
                tc.patience(), tc.seed(), tc.augmentation(), cfg.threads());
        PreprocessConfig preprocessing = PreprocessConfig.defaults();
        Preprocessor pre = new Preprocessor(preprocessing);

        List<Evaluator.Case> trainCases;
        List<Evaluator.Case> valCases;
        List<Evaluator.Case> heldOut;
        String description;
        if (psfFwhm != null && (promote || data != null)) {
            throw new IllegalArgumentException("--psf-fwhm changes the phantoms, the held-out set included: it goes "
                    + "with neither --promote nor --data");
        }
        if (data == null) {
            trainCases = CaseSets.phantoms(PhantomSets.withPsfFwhm(PhantomSets.training(phantoms), psfFwhm));
            valCases = CaseSets.phantoms(PhantomSets.withPsfFwhm(PhantomSets.validation(validation), psfFwhm));
            heldOut = CaseSets.phantoms(PhantomSets.withPsfFwhm(PhantomSets.heldOut(), psfFwhm));
            description = "synthetic SPECT phantoms: " + phantoms + " training (seeds " + PhantomSets.TRAINING
                    + "+), " + validation + " validation (seeds " + PhantomSets.VALIDATION
                    + "+), half normal, half hot liver/bowel with 1-2 defects"
                    + (psfFwhm == null ? "" : "; every case at PSF FWHM " + psfFwhm + " mm (diagnostic)");
        } else {
            List<Evaluator.Case> all = CaseSets.dataset(data);
            if (all.size() <= validation) {
                throw new IllegalArgumentException(data + " has " + all.size() + " cases, need more than " + validation);
            }
            trainCases = all.subList(0, all.size() - validation);
            valCases = all.subList(all.size() - validation, all.size());
            heldOut = valCases;
            description = "dataset " + data.toAbsolutePath() + ": " + trainCases.size() + " training, last "
                    + validation + " cases (by id) for validation and held-out scoring";
        }
        List<TrainingCase> train = toTraining(trainCases, pre);
        List<TrainingCase> val = toTraining(valCases, pre);
        String hash = sha256(train);

        Path work = Files.createTempDirectory("myoflow-train");
        TrainingResult result = new UNetTrainer(tc).train(train, val, work, new ProgressBar(spec.commandLine().getErr()));
        w.printf("best validation Dice %.4f at epoch %d of %d (%s, %.0f s)%n", result.bestValidationDice(),
                result.bestEpoch(), result.epochs().size(), result.engine(), result.seconds());

        PostprocessConfig post = PostprocessConfig.defaults();
        List<Evaluator.CaseResult> scores = new ArrayList<>();
        try (UNetSegmenter seg = UNetSegmenter.load(work, tc.network(), "unet-" + version, cfg.threads())) {
            ModelManifest draft = manifest(tc, preprocessing, post, description, hash, result, Map.of());
            Evaluator ev = new Evaluator(SegmenterChoice.pipeline(draft, seg));
            for (Evaluator.Case c : heldOut) {
                scores.add(ev.evaluate(c));
            }
        }
        Map<String, ModelManifest.HeldOutMetrics> metrics = new LinkedHashMap<>();
        for (String g : EvaluateCommand.groups(scores)) {
            Evaluator.Summary s = Evaluator.summarise(g, scores);
            metrics.put(s.group(), new ModelManifest.HeldOutMetrics(s.cases(), s.dicePost(), s.diceRaw(), s.iou(),
                    s.hd95Mm(), s.meanAbsVolumeErrorPercent()));
        }
        ModelManifest manifest = manifest(tc, preprocessing, post, description, hash, result, metrics);
        ModelRegistry registry = new ModelRegistry(root);
        registry.register(manifest, work);
        Path dir = registry.folder(version);
        TrainingCurve.write(dir.resolve("training-curve.png"), "U-Net " + version + " (" + tc.name() + ")",
                result.epochs());
        Files.writeString(dir.resolve("report.md"), report(manifest, result, scores));
        w.printf("registered %s in %s%n", version, dir.toAbsolutePath());
        try (var files = Files.list(work)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(work);
        EvaluateCommand.printSummaries(w, scores);

        if (promote) {
            String current = registry.production().orElse(null);
            double ours = metrics.get(metrics.containsKey("all") ? "all" : scores.get(0).group()).dice();
            double theirs = current == null ? -1 : heldOutDice(registry.manifest(current));
            if (ours > theirs) {
                registry.promote(version);
                w.printf("promoted %s (held-out Dice %.4f > %s)%n", version, ours,
                        current == null ? "no production model" : String.format("%.4f of %s", theirs, current));
                ModelsCommand.calibrationWarning(registry, version).ifPresent(w::println);
            } else {
                w.printf("not promoted: held-out Dice %.4f does not beat %.4f of %s%n", ours, theirs, current);
            }
        }
        w.flush();
        return 0;
    }

    private ModelManifest manifest(TrainingConfig tc, PreprocessConfig pre, PostprocessConfig post, String description,
                                   String hash, TrainingResult r, Map<String, ModelManifest.HeldOutMetrics> metrics) {
        return new ModelManifest(ModelManifest.SCHEMA_VERSION, version, tc.network(), pre, post, tc,
                new ModelManifest.TrainingData(description, hash, r.trainCases(), r.validationCases()),
                r.bestEpoch(), r.bestValidationDice(), metrics, r.engine(), Instant.now().toString(),
                "./myoflow " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                List.of("held-out: " + PhantomSets.HELD_OUT_SIZE + " fixed phantoms (seeds " + PhantomSets.HELD_OUT
                        + "+) unless trained on --data"));
    }

    private static double heldOutDice(ModelManifest m) {
        if (m.heldOut() == null || m.heldOut().isEmpty()) {
            return -1;
        }
        ModelManifest.HeldOutMetrics all = m.heldOut().getOrDefault("all", m.heldOut().values().iterator().next());
        return all.dice();
    }

    private static List<TrainingCase> toTraining(List<Evaluator.Case> cases, Preprocessor pre) {
        List<TrainingCase> out = new ArrayList<>();
        for (Evaluator.Case c : cases) {
            out.add(TrainingCase.from(c.id(), c.image(), c.truth(), pre));
        }
        return out;
    }

    /** SHA-256 over every training input and label, in order: two runs on the same data have the same hash. */
    static String sha256(List<TrainingCase> cases) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (TrainingCase c : cases) {
            ByteBuffer b = ByteBuffer.allocate(c.image().length * 4);
            b.asFloatBuffer().put(c.image());
            md.update(b.array());
            byte[] m = new byte[c.mask().length];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (c.mask()[i] ? 1 : 0);
            }
            md.update(m);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String report(ModelManifest m, TrainingResult r, List<Evaluator.CaseResult> scores) {
        StringBuilder b = new StringBuilder();
        b.append("# U-Net ").append(m.version()).append("\n\n");
        b.append("Reproduce: `").append(m.reproduce()).append("`\n\n");
        b.append("- Recipe: ").append(m.training().name()).append(": ").append(m.training()).append("\n");
        b.append("- Data: ").append(m.data().description()).append(" (sha256 ").append(m.data().sha256()).append(")\n");
        b.append("- Engine: ").append(r.engine()).append(String.format(", %.0f s", r.seconds()))
                .append(r.stoppedEarly() ? ", stopped early" : "").append("\n");
        b.append(String.format("- Best validation Dice %.4f at epoch %d%n%n", r.bestValidationDice(), r.bestEpoch()));
        b.append("![training curve](training-curve.png)\n\n## Epochs\n\n| epoch | train loss | val Dice | lr | s |\n")
                .append("|---:|---:|---:|---:|---:|\n");
        for (EpochStats e : r.epochs()) {
            b.append(String.format("| %d | %.4f | %.4f | %.2e | %.1f |%n", e.epoch(), e.trainLoss(), e.validationDice(),
                    e.learningRate(), e.seconds()));
        }
        b.append("\n## Held-out cases (original grid)\n\n| case | group | Dice raw | Dice post | IoU | HD95 mm | vol err % |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Evaluator.CaseResult s : scores) {
            b.append(String.format("| %s | %s | %.3f | %.3f | %.3f | %.1f | %.1f |%n", s.id(), s.group(),
                    s.raw().dice(), s.post().dice(), s.post().iou(), s.post().hd95Mm(), s.post().volumeErrorPercent()));
        }
        b.append("\n## Summary\n\n| group | cases | Dice raw | Dice post | IoU | HD95 mm | mean abs vol err % |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        m.heldOut().forEach((g, h) -> b.append(String.format("| %s | %d | %.3f | %.3f | %.3f | %.1f | %.1f |%n", g,
                h.cases(), h.diceRaw(), h.dice(), h.iou(), h.hd95Mm(), h.meanAbsVolumeErrorPercent())));
        return b.toString();
    }

    /** A one-line progress bar on stderr, and a line per epoch. */
    static final class ProgressBar implements UNetTrainer.Listener {
        private final PrintWriter err;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss) {
            int width = 30;
            int done = batch * width / batches;
            err.printf("\repoch %3d [%s%s] %d/%d loss %.4f", epoch, "=".repeat(done), " ".repeat(width - done), batch,
                    batches, loss);
            err.flush();
        }

        @Override
        public void onEpoch(EpochStats s, boolean improved) {
            err.printf("\repoch %3d  train loss %.4f  val Dice %.4f  lr %.1e  %.1f s%s%n", s.epoch(), s.trainLoss(),
                    s.validationDice(), s.learningRate(), s.seconds(), improved ? "  (best, saved)" : "");
            err.flush();
        }
    }
}
