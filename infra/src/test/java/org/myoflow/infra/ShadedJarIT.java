package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable fat jar, as the myoflow script runs it: PixelMed inside, no stray Class-Path, the demo works. */
class ShadedJarIT {
    private static final Path JAR = Path.of("target/myoflow.jar");

    @Test
    void jarContainsPixelMedAndNoDebianClassPath() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertNotNull(jar.getEntry("com/pixelmed/dicom/AttributeList.class"), "PixelMed is shaded in");
            assertNotNull(jar.getEntry("org/myoflow/model/io/Nifti.class"));
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertTrue(classPath == null || classPath.isBlank(), "no Class-Path into /usr/share/java: " + classPath);
        }
    }

    @Test
    void demoRunsFromTheJar(@TempDir Path out) throws Exception {
        Process p = new ProcessBuilder("java", "-Djava.awt.headless=true", "-jar", JAR.toString(), "demo", "--cases",
                "1", "--out", out.toString(), "--home", out.resolve("home").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        // the whole stack from the one jar: Kafka, Temporal (gRPC services found through the shaded service files),
        // workers, the PACS round trip
        assertTrue(output.contains("1 of 1 studies came back as SEGs"), output);
        assertTrue(out.resolve("png/study_001.png").toFile().length() > 10_000);
    }
}
