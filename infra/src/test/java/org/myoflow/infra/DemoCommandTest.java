package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void demoSegmentsPhantomsPrintsTheTableAndWritesPictures(@TempDir Path out) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute("demo", "--cases", "2", "--out", out.toString(), "--home", out.resolve("home").toString());
        assertEquals(0, exit, text.toString());
        String table = text.toString();
        // case 1 is a normal study, case 2 a hot-liver study with defects; columns: U-Net raw, post, classical
        Matcher row = Pattern.compile("phantom_001\\s+normal\\s+\\S+\\s+(\\d\\.\\d+)\\s+(\\d\\.\\d+)\\s+(\\d\\.\\d+)")
                .matcher(table);
        assertTrue(row.find(), table);
        assertTrue(Double.parseDouble(row.group(2)) > 0.75, "Dice of the bundled U-Net on a normal study: " + table);
        assertTrue(Double.parseDouble(row.group(3)) > 0.6, "Dice of the classical baseline: " + table);
        // the bundled model was installed and promoted in the empty storage root
        assertTrue(Files.readString(out.resolve("home/models/PRODUCTION")).startsWith("v"));
        assertTrue(table.contains("phantom_002") && table.contains("high-extracardiac"), table);
        assertTrue(Files.size(out.resolve("png/phantom_001.png")) > 10_000);
        assertTrue(Files.exists(out.resolve("data/NIfTI/phantom_002_mask.nii.gz")));
    }
}
