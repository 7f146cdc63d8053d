package org.myoflow.dicom;

import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.spool.Spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DICOM node's configuration, in one place; every value can be overridden by the environment.
 *
 * <ul>
 *   <li>{@code MYOFLOW_HOME} storage root (spool, quarantine, studies), default {@code myoflow-data}</li>
 *   <li>{@code MYOFLOW_DICOM_AE} (MYOFLOW), {@code MYOFLOW_DICOM_BIND} (127.0.0.1), {@code MYOFLOW_DICOM_PORT}
 *       (11112)</li>
 *   <li>{@code MYOFLOW_DICOM_ALLOWED_CALLING_AE} comma-separated; empty allows any</li>
 *   <li>{@code MYOFLOW_DICOM_MAX_ASSOCIATIONS} (16), {@code MYOFLOW_DICOM_SOP_CLASSES} and
 *       {@code MYOFLOW_DICOM_TRANSFER_SYNTAXES} comma-separated UIDs (defaults in {@link ScpConfig})</li>
 *   <li>{@code MYOFLOW_DICOM_QUIET_SECONDS} (3): a study with no new instance for this long is complete</li>
 *   <li>{@code MYOFLOW_DICOM_IDLE_SECONDS} (60): an association that sends nothing for this long is aborted; an
 *       instance it left half-sent is quarantined</li>
 *   <li>{@code MYOFLOW_DICOM_STOP_DRAIN_SECONDS} (8): on stop, running associations get this long to finish, then
 *       are aborted (what they had answered is durable; the instance in flight stays with its sender)</li>
 *   <li>{@code MYOFLOW_KAFKA_BOOTSTRAP}: Kafka to announce on; unset keeps completed studies unannounced</li>
 *   <li>{@code MYOFLOW_SPOOL_FSYNC} (true): false only for benchmarks on throwaway storage, to measure what the
 *       per-instance fsync costs; acknowledged instances are then not crash-safe</li>
 *   <li>{@code MYOFLOW_SPOOL_JOURNAL_LIMIT_KB} (1024): instances up to this size go through the spool's write-ahead
 *       journal, larger ones are streamed to a part file and fsynced (0: none use the journal)</li>
 *   <li>{@code MYOFLOW_SPOOL_MIN_FREE_MB} (256): below this much usable space on the storage root's file system, new
 *       instances are refused with 0xA700 (out of resources) and the sender keeps them (0: no reserve)</li>
 * </ul>
 */
public record DicomNodeConfig(Path storageRoot, ScpConfig scp, Duration quietPeriod, String kafkaBootstrapServers,
                              Duration kafkaAckTimeout, boolean fsync, int journalLimitBytes, long minFreeBytes) {

    /**
     * An instance is answered before its spool file is written (the journal holds it), and volumes, results and the
     * embedded Kafka's log share the disk: the reserve keeps room for them. 256 MB is eight journal segments, or the
     * spool files of 250 journaled instances of the largest size.
     */
    public static final long DEFAULT_MIN_FREE_BYTES = 256L * 1024 * 1024;

    public DicomNodeConfig {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("free-space reserve must be 0 or more bytes: " + minFreeBytes);
        }
    }

    public static DicomNodeConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static DicomNodeConfig from(Map<String, String> env) {
        ScpConfig d = ScpConfig.defaults();
        ScpConfig scp = new ScpConfig(env.getOrDefault("MYOFLOW_DICOM_AE", d.aeTitle()),
                env.getOrDefault("MYOFLOW_DICOM_BIND", d.bindAddress()),
                Integer.parseInt(env.getOrDefault("MYOFLOW_DICOM_PORT", String.valueOf(d.port()))),
                list(env.get("MYOFLOW_DICOM_ALLOWED_CALLING_AE"), d.allowedCallingAeTitles()),
                Integer.parseInt(env.getOrDefault("MYOFLOW_DICOM_MAX_ASSOCIATIONS",
                        String.valueOf(d.maxAssociations()))),
                list(env.get("MYOFLOW_DICOM_SOP_CLASSES"), d.sopClasses()),
                List.copyOf(list(env.get("MYOFLOW_DICOM_TRANSFER_SYNTAXES"),
                        new LinkedHashSet<>(d.transferSyntaxes()))),
                d.maxPduLength(), Duration.ofSeconds(Long.parseLong(env.getOrDefault("MYOFLOW_DICOM_IDLE_SECONDS",
                        String.valueOf(d.idleTimeout().toSeconds())))),
                Duration.ofMillis((long) (1000 * Double.parseDouble(env.getOrDefault(
                        "MYOFLOW_DICOM_STOP_DRAIN_SECONDS", String.valueOf(d.stopDrain().toSeconds()))))));
        String kafka = env.get("MYOFLOW_KAFKA_BOOTSTRAP");
        return new DicomNodeConfig(Path.of(env.getOrDefault("MYOFLOW_HOME", "myoflow-data")), scp,
                Duration.ofMillis((long) (1000 * Double.parseDouble(env.getOrDefault("MYOFLOW_DICOM_QUIET_SECONDS",
                        "3")))), kafka == null || kafka.isBlank() ? null : kafka, Duration.ofSeconds(30),
                Boolean.parseBoolean(env.getOrDefault("MYOFLOW_SPOOL_FSYNC", "true")),
                1024 * Integer.parseInt(env.getOrDefault("MYOFLOW_SPOOL_JOURNAL_LIMIT_KB",
                        String.valueOf(Spool.DEFAULT_JOURNAL_LIMIT / 1024))),
                (long) (1024 * 1024 * Double.parseDouble(env.getOrDefault("MYOFLOW_SPOOL_MIN_FREE_MB",
                        String.valueOf(DEFAULT_MIN_FREE_BYTES / (1024 * 1024))))));
    }

    public static DicomNodeConfig defaults(Path storageRoot) {
        return new DicomNodeConfig(storageRoot, ScpConfig.defaults(), Duration.ofSeconds(3), null,
                Duration.ofSeconds(30), true, Spool.DEFAULT_JOURNAL_LIMIT, DEFAULT_MIN_FREE_BYTES);
    }

    public DicomNodeConfig withStorageRoot(Path root) {
        return new DicomNodeConfig(root, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes);
    }

    public DicomNodeConfig withScp(ScpConfig s) {
        return new DicomNodeConfig(storageRoot, s, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes);
    }

    public DicomNodeConfig withQuietPeriod(Duration q) {
        return new DicomNodeConfig(storageRoot, scp, q, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes);
    }

    public DicomNodeConfig withKafka(String bootstrap) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, bootstrap, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes);
    }

    public DicomNodeConfig withJournalLimit(int bytes) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                bytes, minFreeBytes);
    }

    public DicomNodeConfig withMinFree(long bytes) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, bytes);
    }

    private static Set<String> list(String value, Set<String> absent) {
        if (value == null) {
            return absent;
        }
        Set<String> s = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).forEach(s::add);
        return s;
    }
}
