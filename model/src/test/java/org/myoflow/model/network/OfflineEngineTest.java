package org.myoflow.model.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine loads with nothing downloaded: a fresh JVM, an empty DJL cache, offline mode, and every HTTP(S) request
 * sent to a closed port. The natives can only come from the class path.
 */
class OfflineEngineTest {

    /** Run in the child JVM: load the engine and do arithmetic. */
    public static void main(String[] args) {
        Engine e = DjlRuntime.configure(1);
        try (NDManager m = NDManager.newBaseManager()) {
            float s = m.arange(5f).sum().getFloat();
            System.out.println("engine=" + e.getEngineName() + " version=" + e.getVersion() + " device="
                    + e.defaultDevice() + " sum=" + s);
        }
    }

    @Test
    void loadsOfflineFromTheClassPathNatives(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9", "-Dhttps.proxyHost=127.0.0.1",
                "-Dhttps.proxyPort=9", OfflineEngineTest.class.getName())).redirectErrorStream(true);
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        pb.environment().remove("DJL_OFFLINE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("engine=PyTorch version=2.7.1"), out);
        assertTrue(out.contains("sum=10.0"), out);
        try (var files = Files.walk(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch")),
                    "natives unpacked from the class-path jar into the fresh cache");
        }
    }
}
