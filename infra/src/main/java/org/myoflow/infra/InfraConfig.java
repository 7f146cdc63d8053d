package org.myoflow.infra;

import java.nio.file.Path;
import java.util.Map;

/**
 * The runnable application's configuration, in one place. Every value can be overridden by an environment variable.
 *
 * @param storageRoot {@code MYOFLOW_HOME}: the storage root (spool, studies, models, quarantine), default
 *     {@code ./myoflow-data}
 * @param demoOutput {@code MYOFLOW_DEMO_OUT}: where the demo writes its dataset and pictures, default
 *     {@code ./demo-output}
 * @param threads {@code MYOFLOW_THREADS}: intra-op threads for the PyTorch engine, default all cores
 */
public record InfraConfig(Path storageRoot, Path demoOutput, int threads) {

    public static InfraConfig fromEnvironment() {
        return from(System.getenv());
    }

    static InfraConfig from(Map<String, String> env) {
        return new InfraConfig(
                Path.of(env.getOrDefault("MYOFLOW_HOME", "myoflow-data")),
                Path.of(env.getOrDefault("MYOFLOW_DEMO_OUT", "demo-output")),
                threads(env.getOrDefault("MYOFLOW_THREADS", "")));
    }

    private static int threads(String v) {
        if (v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, by name
        }
        throw new IllegalArgumentException("MYOFLOW_THREADS must be a whole number above 0, got " + v);
    }
}
