package org.myoflow.infra.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.inference.Evaluator;
import org.myoflow.model.inference.SegmentationPipeline;
import org.myoflow.model.metrics.WallProfile;
import org.myoflow.model.phantom.PhantomParameters;
import org.myoflow.model.phantom.PhantomSets;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Fits a model version's volume calibration on training-range phantoms it never trained on, and stores it beside the
 * weights. The fixed held-out set is not touched: score the result with {@code myoflow evaluate}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fit a model version's myocardial volume calibration on phantoms it never trained on.")
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "production",
            description = "A registry version or 'production' (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--home", description = "Storage root holding models/ (default $MYOFLOW_HOME).")
    java.nio.file.Path home;

    @Option(names = "--from", defaultValue = "100", description = "First training-phantom index to use; the model "
            + "must not have trained on it or any after it (default ${DEFAULT-VALUE}).")
    int from;

    @Option(names = "--phantoms", defaultValue = "200", description = "How many phantoms (default ${DEFAULT-VALUE}).")
    int phantoms;

    @Option(names = "--lambda", defaultValue = "3", description = "Ridge penalty on the standardised predictors "
            + "(default ${DEFAULT-VALUE}).")
    double lambda;

    @Override
    public Integer call() throws Exception {
        InfraConfig cfg = InfraConfig.fromEnvironment();
        PrintWriter w = spec.commandLine().getOut();
        java.nio.file.Path root = home != null ? home : cfg.storageRoot();
        ModelRegistry registry = new ModelRegistry(root);
        String version = model.equals("production") ? registry.productionOrBundled() : model;
        ModelManifest m = registry.manifest(version);
        if (!m.data().description().contains("phantoms")) {
            // the calibration learns how this network errs on SPECT phantoms; on other images it would mislead
            throw new ParameterException(spec.commandLine(), "model " + version + " was trained on "
                    + m.data().description() + ", not on phantoms: a calibration fitted on phantoms would not fit it");
        }
        if (from < m.data().trainCases()) {
            throw new ParameterException(spec.commandLine(), "model " + version + " trained on the first "
                    + m.data().trainCases() + " training phantoms: --from must be at least that");
        }
        if (phantoms < 20) {
            throw new ParameterException(spec.commandLine(), "--phantoms must be at least 20 (5-fold validation)");
        }
        Map<String, PhantomParameters> parameters = new HashMap<>();
        List<Evaluator.Case> cases = CaseSets.phantoms(
                PhantomSets.training(from + phantoms).subList(from, from + phantoms), parameters);
        int p = WallProfile.FEATURES;
        double[][] image = new double[cases.size()][];
        double[][] withCamera = new double[cases.size()][];
        double[] logRatio = new double[cases.size()];
        int n = 0;
        try (SegmenterChoice s = SegmenterChoice.open(version, root, cfg.threads())) {
            SegmentationPipeline pipeline = s.pipeline.uncalibrated();
            w.printf("Fitting the volume calibration of %s on training phantoms %d-%d (seeds %d+)%n", version, from,
                    from + phantoms - 1, PhantomSets.TRAINING + from);
            for (Evaluator.Case c : cases) {
                SegmentationPipeline.Result r = pipeline.run(c.image());
                WallProfile profile = WallProfile.measure(c.image(), r.mask());
                double[] x = profile.features();
                if (r.mask().isEmpty() || !java.util.Arrays.stream(x).allMatch(Double::isFinite)) {
                    w.printf("  %s: no wall profile (empty mask or no cavity), left out%n", c.id());
                    continue;
                }
                image[n] = x;
                withCamera[n] = VolumeCalibration.predictors(profile, c.cameraFwhmMm());
                logRatio[n] = Math.log(c.truth().volumeMl() / r.mask().volumeMl());
                n++;
            }
        }
        image = java.util.Arrays.copyOf(image, n);
        withCamera = java.util.Arrays.copyOf(withCamera, n);
        logRatio = java.util.Arrays.copyOf(logRatio, n);
        double before = 0;
        for (double y : logRatio) {
            before += Math.abs(Math.exp(-y) - 1);
        }
        VolumeCalibration.Fit fromImage = VolumeCalibration.Fit.ridgeCrossValidated(image, logRatio, lambda, 5);
        VolumeCalibration.Fit fromImageAndCamera =
                VolumeCalibration.Fit.ridgeCrossValidated(withCamera, logRatio, lambda, 5);
        String fittedOn = String.format("%d training-range phantoms, indices %d-%d (seeds %d+), never trained on by %s;"
                        + " %d wall-profile predictors, and the camera's FWHM in the second fit", n, from,
                from + phantoms - 1, PhantomSets.TRAINING + from, version, p);
        String reproduce = String.format("./myoflow calibrate --model %s --from %d --phantoms %d --lambda %s",
                version, from, phantoms, lambda);
        VolumeCalibration cal = new VolumeCalibration(VolumeCalibration.SCHEMA_VERSION, fromImage,
                fromImageAndCamera, fittedOn, reproduce,
                List.of("mean |volume error| on these cases without the calibration: "
                        + String.format("%.1f %%", 100 * before / n)));
        registry.saveCalibration(version, cal);
        w.printf("%d cases; mean |volume error| without calibration %.1f %%, 5-fold cross-validated with it: "
                        + "%.1f %% from the image, %.1f %% from the image and the camera's resolution%n", n,
                100 * before / n, fromImage.crossValidatedErrorPercent(),
                fromImageAndCamera.crossValidatedErrorPercent());
        w.printf("Stored as %s of %s. Score it on the held-out set with: ./myoflow evaluate --model %s%n",
                VolumeCalibration.FILE, version, version);
        w.flush();
        return 0;
    }
}
