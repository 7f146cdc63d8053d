package org.myoflow.model.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs reference scripts with Debian's {@code /usr/bin/python3} (nibabel, scipy, skimage, pydicom are Debian
 * packages; the pyenv python first on PATH lacks them). A missing package fails the test with the install command:
 * these checks are the point of the tests, so they never skip.
 */
public final class DebianPython {
    public static final String PYTHON = "/usr/bin/python3";

    private DebianPython() {
    }

    /** Copies a classpath script to {@code dir} and runs it; returns stdout, fails on a non-zero exit. */
    public static String runResource(String resource, Path dir, String... args) throws IOException, InterruptedException {
        Path script = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = DebianPython.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + resource);
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(resource + " timed out");
        }
        String stderr = new String(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String hint = stderr.contains("ModuleNotFoundError")
                    ? "\nInstall the reference packages: apt-get install python3-nibabel python3-scipy python3-skimage"
                    : "";
            throw new AssertionError(resource + " " + args[0] + " failed (exit " + p.exitValue() + "):\n" + stderr + hint);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Reads a little-endian float64 dump written by numpy. */
    public static double[] readFloat64(Path file) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(d);
        return d;
    }

    public static void writeFloat64(Path file, float[] data) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(data.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            b.putDouble(f);
        }
        Files.write(file, b.array());
    }
}
