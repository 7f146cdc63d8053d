package org.myoflow.infra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.infra.Main;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import picocli.CommandLine;

class ModelsCommandTest {

    /** Promoting a version without a volume calibration says so, with the command that fits one; list shows it. */
    @Test
    void promotingAnUncalibratedVersionWarns(@TempDir Path home) throws Exception {
        ModelRegistry registry = new ModelRegistry(home);
        String bundled = registry.productionOrBundled();
        ModelCopies.register(registry, "v2", new ModelManifest.TrainingData(
                registry.manifest(bundled).data().description(), "0", 160, 40));

        String listed = run(home, "models", "list");
        assertTrue(listed.lines().anyMatch(l -> l.contains(" " + bundled + " ") && l.contains(" yes ")), listed);
        assertTrue(listed.lines().anyMatch(l -> l.contains(" v2 ") && !l.contains(" yes ")), listed);

        String promoted = run(home, "models", "promote", "v2");
        assertTrue(promoted.contains("production model: v2"), promoted);
        assertTrue(promoted.contains("v2 has no volume calibration"), promoted);
        assertTrue(promoted.contains("myoflow calibrate --model v2 --from 160"), promoted);
        assertEquals("v2", registry.production().orElseThrow());

        String back = run(home, "models", "promote", bundled);
        assertFalse(back.contains("warning"), back);
    }

    /** What an operator gets wrong is answered in one line naming the problem, not a stack trace, and a non-zero exit. */
    @Test
    void operatorMistakesAreOneLineErrors(@TempDir Path home) {
        assertRefused(home, 2, "myoflow models: unknown action frobnicate (list, promote, rollback)", "models", "frobnicate");
        assertRefused(home, 2, "myoflow models: promote needs a version", "models", "promote");
        assertRefused(home, 1, "myoflow models: no model version v99 in ", "models", "promote", "v99");
        assertRefused(home, 1, "myoflow models: no production model to roll back", "models", "rollback");
    }

    private static void assertRefused(Path home, int exit, String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--home", home.toString())).toArray(String[]::new);
        assertEquals(exit, cli.execute(all), err.toString());
        assertTrue(err.toString().startsWith(message), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    private static String run(Path home, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--home", home.toString())).toArray(String[]::new);
        assertEquals(0, cli.execute(all), out.toString());
        return out.toString();
    }
}
