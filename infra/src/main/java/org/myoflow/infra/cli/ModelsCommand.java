package org.myoflow.infra.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.myoflow.infra.InfraConfig;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The model registry for operators: list versions, promote one, roll back. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List model versions (list), promote one (promote VERSION), or roll back (rollback).")
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", defaultValue = "list", description = "list, promote or rollback")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "version, for promote")
    String version;

    @Option(names = "--home", description = "Storage root holding models/ (default $MYOFLOW_HOME).")
    Path home;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        ModelRegistry registry = new ModelRegistry(home != null ? home : InfraConfig.fromEnvironment().storageRoot());
        switch (action) {
            case "list" -> {
                String prod = registry.production().orElse("");
                w.printf("%-3s %-24s %-22s %-8s %-8s %-8s %-11s %s%n", "", "version", "created", "val", "normal",
                        "hard", "vol calib", "architecture");
                for (String v : registry.list()) {
                    ModelManifest m = registry.manifest(v);
                    w.printf("%-3s %-24s %-22s %-8.3f %-8s %-8s %-11s depth %d, base %d, %s%n",
                            v.equals(prod) ? "*" : "", v,
                            m.createdAt().substring(0, Math.min(19, m.createdAt().length())), m.validationDice(),
                            dice(m, "normal"), dice(m, "hard"), registry.calibration(v).isPresent() ? "yes" : "-",
                            m.architecture().depth(),
                            m.architecture().baseChannels(), m.architecture().normalisation());
                }
            }
            case "promote" -> {
                if (version == null) {
                    throw new IllegalArgumentException("promote needs a version");
                }
                registry.promote(version);
                w.println("production model: " + version);
                calibrationWarning(registry, version).ifPresent(w::println);
            }
            case "rollback" -> w.println("production model: " + registry.rollback());
            default -> throw new IllegalArgumentException("unknown action " + action + " (list, promote, rollback)");
        }
        w.flush();
        return 0;
    }

    /**
     * For a version going into production without a volume calibration: its volumes go out uncorrected (several points
     * of error worse), which an operator promoting it should hear at once, not from a worker's log.
     */
    static Optional<String> calibrationWarning(ModelRegistry registry, String version) throws IOException {
        ModelManifest m = registry.manifest(version);
        if (registry.calibration(version).isPresent() || !m.data().description().contains("phantoms")) {
            return Optional.empty();
        }
        int from = Math.max(100, m.data().trainCases());
        return Optional.of("warning: " + version + " has no volume calibration, so its myocardial volumes "
                + "go out uncorrected; fit one with: myoflow calibrate --model " + version + " --from " + from);
    }

    private static String dice(ModelManifest m, String group) {
        ModelManifest.HeldOutMetrics h = m.heldOut() == null ? null : m.heldOut().get(group);
        return h == null ? "-" : String.format("%.3f", h.dice());
    }
}
