package org.myoflow.infra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.infra.Main;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import picocli.CommandLine;

class CalibrateCommandTest {

    /** A small fit on phantoms v1 never saw replaces the shipped calibration, and evaluate then applies it. */
    @Test
    void fitsStoresAndEvaluateAppliesIt(@TempDir Path home) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute("calibrate", "--home", home.toString(), "--from", "400", "--phantoms", "20");
        assertEquals(0, exit, text.toString());
        ModelRegistry registry = new ModelRegistry(home);
        String version = registry.production().orElseThrow();
        VolumeCalibration cal = registry.calibration(version).orElseThrow();
        assertEquals(20, cal.imageOnly().cases(), text.toString());
        assertEquals(cal.imageOnly().weights().length + 1, cal.withCamera().weights().length);
        assertTrue(cal.reproduce().contains("--from 400 --phantoms 20"), cal.reproduce());
        assertTrue(Double.isFinite(cal.withCamera().crossValidatedErrorPercent()), text.toString());

        StringWriter scored = new StringWriter();
        cli = Main.commandLine();
        cli.setOut(new PrintWriter(scored));
        exit = cli.execute("evaluate", "--home", home.toString(), "--training-phantoms", "1");
        assertEquals(0, exit, scored.toString());
        assertTrue(scored.toString().contains("volume calibration with the camera's resolution"), scored.toString());
        assertTrue(scored.toString().contains("vol x"), scored.toString());
    }

    @Test
    void refusesPhantomsTheModelTrainedOn(@TempDir Path home) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("calibrate", "--home", home.toString(), "--from", "10");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("trained on the first 80"), err.toString());
    }

    /** A model trained on MRI has no business with a correction learned from SPECT phantoms. */
    @Test
    void refusesAModelNotTrainedOnPhantoms(@TempDir Path home) throws Exception {
        ModelRegistry registry = new ModelRegistry(home);
        ModelCopies.register(registry, "mri1",
                new ModelManifest.TrainingData("Decathlon Task02_Heart imagesTr/labelsTr", "0", 16, 4));

        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("calibrate", "--home", home.toString(), "--model", "mri1", "--from", "400");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("not on phantoms"), err.toString());
        assertTrue(registry.calibration("mri1").isEmpty());
    }
}
