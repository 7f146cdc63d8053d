package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** dcmtk's storescu as the scanner in tests: calling AE SCANNER, Nagle off (dcmtk needs TCP_NODELAY=1 for that). */
public final class Storescu {
    private Storescu() {
    }

    /** Pushes the files on one association; returns storescu's exit status. */
    public static int push(int port, List<Path> files) throws Exception {
        return push(port, "SCANNER", List.of(), files);
    }

    /** With extra storescu options, e.g. {@code -R} (propose only the files' classes: needed for SEG). */
    public static int push(int port, String callingAe, List<String> options, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", callingAe, "-aec", "MYOFLOW"));
        cmd.addAll(options);
        cmd.addAll(List.of("127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "storescu finished");
        return p.exitValue();
    }
}
