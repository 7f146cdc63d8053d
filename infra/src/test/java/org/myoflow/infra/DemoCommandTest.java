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

    /** The real thing on the embedded default: Orthanc, the node, Kafka, Temporal, workers; SEGs scored from PACS. */
    @Test
    void demoPushesStudiesAndScoresTheSegsFromThePacs(@TempDir Path out) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(text));
        int exit = cli.execute("demo", "--cases", "2", "--out", out.toString(), "--timeout", "180");
        assertEquals(0, exit, text.toString());
        String table = text.toString();
        // study 1: NM multi-frame, normal; study 2: PET stack with hot liver/bowel and defects
        Matcher row = Pattern.compile("study_001\\s+NM\\s+normal\\s+(\\d\\.\\d+)\\s+(\\d\\.\\d+)").matcher(table);
        assertTrue(row.find(), table);
        assertTrue(Double.parseDouble(row.group(1)) > 0.75, "Dice of the SEG fetched from Orthanc: " + table);
        assertTrue(Double.parseDouble(row.group(2)) > 0.6, "Dice of the classical baseline: " + table);
        assertTrue(Pattern.compile("study_002\\s+PT\\s+high-extracardiac").matcher(table).find(), table);
        assertTrue(table.contains("2 of 2 studies came back as SEGs"), table);
        // the bundled model was installed and promoted in the fresh storage root
        assertTrue(Files.readString(out.resolve("home/models/PRODUCTION")).startsWith("v"));
        assertTrue(Files.size(out.resolve("png/study_001.png")) > 10_000);
    }
}
