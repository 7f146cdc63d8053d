package org.myoflow.infra.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.myoflow.dicom.scu.PacsDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PACS for the demo and the tests: Debian's Orthanc, started with a generated configuration (DICOM and REST on
 * the given ports, REST on loopback only, no authentication) and its own storage folder. Orthanc must have exited
 * before it is started again on the same storage (its SQLite index is locked).
 */
public final class OrthancPacs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrthancPacs.class);
    public static final String AE_TITLE = "ORTHANC";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int dicomPort;
    private final int httpPort;
    private final Path storage;
    private final OrthancClient client;

    private OrthancPacs(Process process, int dicomPort, int httpPort, Path storage) {
        this.process = process;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
        this.storage = storage;
        this.client = new OrthancClient("http://127.0.0.1:" + httpPort);
    }

    /** @param dicomPort 0 picks a free port (likewise httpPort) */
    public static OrthancPacs start(Path dir, int dicomPort, int httpPort) throws IOException, InterruptedException {
        String binary = findBinary();
        Files.createDirectories(dir.resolve("storage"));
        int dp = dicomPort == 0 ? freePort() : dicomPort;
        int hp = httpPort == 0 ? freePort() : httpPort;
        ObjectNode c = JSON.createObjectNode();
        c.put("Name", "Myoflow PACS");
        c.put("StorageDirectory", dir.resolve("storage").toAbsolutePath().toString());
        c.put("IndexDirectory", dir.resolve("storage").toAbsolutePath().toString());
        c.put("DicomAet", AE_TITLE);
        c.put("DicomPort", dp);
        c.put("HttpPort", hp);
        c.put("RemoteAccessAllowed", false);
        c.put("AuthenticationEnabled", false);
        c.put("DicomCheckCalledAet", true);
        c.put("HttpsVerifyPeers", false);
        c.put("KeepAlive", true);
        c.put("KeepAliveTimeout", 60); // Orthanc's 1 s default closes pooled connections under the client
        c.putArray("Plugins");
        Path config = dir.resolve("orthanc.json");
        Files.write(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
        Process p = new ProcessBuilder(binary, config.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        OrthancPacs o = new OrthancPacs(p, dp, hp, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("Orthanc exited with " + p.exitValue() + "; see " + dir.resolve("orthanc.log"));
            }
            try {
                o.get("/system");
                log.info("event=pacs_started kind=orthanc dicom={}@127.0.0.1:{} rest=http://127.0.0.1:{}", AE_TITLE,
                        dp, hp);
                return o;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        o.close();
        throw new IOException("Orthanc did not answer on port " + hp + " within 30 s");
    }

    private static String findBinary() throws IOException {
        for (String candidate : List.of("/usr/sbin/Orthanc", "/usr/bin/Orthanc")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IOException("Orthanc is not installed (Debian: apt-get install orthanc; ./myoflow installs it)");
    }

    public PacsDestination destination() {
        return new PacsDestination(AE_TITLE, "127.0.0.1", dicomPort);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The REST API of this Orthanc. */
    public OrthancClient rest() {
        return client;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return client.get(path);
    }

    public byte[] download(String path) throws IOException, InterruptedException {
        return client.download(path);
    }

    public List<String> findInstances(String sopInstanceUid) throws IOException, InterruptedException {
        return client.findInstances(sopInstanceUid);
    }

    public List<String> segInstancesOfStudy(String studyInstanceUid) throws IOException, InterruptedException {
        return client.segInstancesOfStudy(studyInstanceUid);
    }

    public List<String> instancesOfStudy(String studyInstanceUid, String modality)
            throws IOException, InterruptedException {
        return client.instancesOfStudy(studyInstanceUid, modality);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public Path storage() {
        return storage;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
