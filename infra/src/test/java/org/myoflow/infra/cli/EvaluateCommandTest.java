package org.myoflow.infra.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.infra.Main;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomSets;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;
import picocli.CommandLine;

class EvaluateCommandTest {

    /** Training-range phantoms, scored and saved: what is on disk is the case and the mask the scores came from. */
    @Test
    void savesEachCaseItsTruthAndTheMaskItScored(@TempDir Path dir) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute("evaluate", "--model", "classical", "--training-phantoms", "2",
                "--home", dir.resolve("home").toString(), "--save", dir.resolve("saved").toString());
        assertEquals(0, exit, text.toString());
        assertTrue(text.toString().contains("training phantoms, seeds " + PhantomSets.TRAINING + "+"), text.toString());

        PhantomCase expected = PhantomSets.training(2).get(1).generate();
        Path saved = dir.resolve("saved");
        Volume image = Nifti.readVolume(saved.resolve("train_0001_image.nii.gz"));
        assertArrayEquals(expected.image().data(), image.data());
        BinaryMask truth = Nifti.readMask(saved.resolve("train_0001_truth.nii.gz"));
        assertArrayEquals(expected.myocardium().data(), truth.data());
        Volume probabilities = Nifti.readVolume(saved.resolve("train_0001_probabilities.nii.gz"));
        assertArrayEquals(image.grid().dims(), probabilities.grid().dims());
        BinaryMask mask = Nifti.readMask(saved.resolve("train_0001_mask.nii.gz"));
        // the listing's post-processed Dice for this case is the saved mask's
        String row = text.toString().lines().filter(l -> l.startsWith("train_0001")).findFirst().orElseThrow();
        double listed = Double.parseDouble(row.trim().split("\\s+")[3]);
        assertEquals(Metrics.compare(mask, truth).dice(), listed, 0.0005, row);
        assertTrue(listed > 0.5, row);
    }

    @Test
    void refusesTwoSourcesOfCases(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("evaluate", "--model", "classical", "--data", dir.toString(), "--training-phantoms", "2");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("give one"), err.toString());
    }
}
