package org.myoflow.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's DICOM reference tools, run for real in tests: dciodvfy (dicom3tools) and dcm2niix. */
public final class DicomTools {
    private DicomTools() {
    }

    public record Run(int exit, String output) {
    }

    public static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("TCP_NODELAY", "1"); // dcmtk disables Nagle only when asked
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(cmd.get(0) + " is missing: apt-get install dicom3tools dcm2niix dcmtk", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " timed out");
        }
        return new Run(p.exitValue(), out);
    }

    /** dciodvfy's lines that start with "Error" (warnings are returned separately by {@link #dciodvfyWarnings}). */
    public static List<String> dciodvfyErrors(Path file) throws IOException, InterruptedException {
        return lines(run(List.of("dciodvfy", file.toString())).output(), "Error");
    }

    public static List<String> dciodvfyWarnings(Path file) throws IOException, InterruptedException {
        return lines(run(List.of("dciodvfy", file.toString())).output(), "Warning");
    }

    /** Converts a folder with dcm2niix (uncompressed .nii named {@code name}); returns the file. */
    public static Path dcm2niix(Path inputDir, Path outputDir, String name) throws IOException, InterruptedException {
        Run r = run(List.of("dcm2niix", "-z", "n", "-b", "n", "-f", name, "-o", outputDir.toString(),
                inputDir.toString()));
        Path nii = outputDir.resolve(name + ".nii");
        if (r.exit() != 0 || !nii.toFile().exists()) {
            throw new AssertionError("dcm2niix failed (exit " + r.exit() + "):\n" + r.output());
        }
        return nii;
    }

    /** dcmtk storescu: pushes files to {@code MYOFLOW} on loopback as {@code callingAe}, one association. */
    public static Run storescu(int port, String callingAe, List<Path> files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", callingAe, "-aec", "MYOFLOW", "127.0.0.1",
                String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd);
    }

    /** The odd real DICOM files shipped with python3-pydicom (its {@code test_files} folder). */
    public static Path pydicomSamples() throws IOException, InterruptedException {
        Run r = run(List.of("/usr/bin/python3", "-c",
                "import os, pydicom.data; print(os.path.join(os.path.dirname(pydicom.data.__file__), 'test_files'))"));
        Path p = Path.of(r.output().trim());
        if (r.exit() != 0 || !p.toFile().isDirectory()) {
            throw new AssertionError("python3-pydicom is needed: " + r.output());
        }
        return p;
    }

    /** dcmtk echoscu against {@code MYOFLOW} on loopback. */
    public static Run echoscu(int port, String callingAe) throws IOException, InterruptedException {
        return run(List.of("echoscu", "-aet", callingAe, "-aec", "MYOFLOW", "127.0.0.1", String.valueOf(port)));
    }

    private static List<String> lines(String out, String prefix) {
        List<String> l = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(prefix)) {
                l.add(line);
            }
        }
        return l;
    }
}
