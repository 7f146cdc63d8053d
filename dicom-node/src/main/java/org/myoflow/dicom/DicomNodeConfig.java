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
 *   <li>{@code MYOFLOW_DICOM_MAX_PENDING_CONNECTIONS} (64): connections whose association request is not yet in and
 *       answered; one beyond them is closed at once (a flood of connections cannot exhaust the node's threads)</li>
 *   <li>{@code MYOFLOW_DICOM_QUIET_SECONDS} (3): a study with no new instance for this long is complete</li>
 *   <li>{@code MYOFLOW_DICOM_IDLE_SECONDS} (60): an association that sends nothing for this long is aborted; an
 *       instance it left half-sent is quarantined</li>
 *   <li>{@code MYOFLOW_DICOM_REQUEST_SECONDS} (10): a connection that has not sent its whole association request
 *       this long after connecting is closed (ARTIM); until it has, it holds none of the association slots</li>
 *   <li>{@code MYOFLOW_DICOM_STOP_DRAIN_SECONDS} (8): on stop, running associations get this long to finish, then
 *       are aborted (what they had answered is durable; the instance in flight stays with its sender)</li>
 *   <li>{@code MYOFLOW_KAFKA_BOOTSTRAP}: Kafka to announce on; unset keeps completed studies unannounced</li>
 *   <li>{@code MYOFLOW_SPOOL_FSYNC} (true): false only for benchmarks on throwaway storage, to measure what the
 *       per-instance fsync costs; acknowledged instances are then not crash-safe</li>
 *   <li>{@code MYOFLOW_SPOOL_JOURNAL_LIMIT_KB} (1024): instances up to this size go through the spool's write-ahead
 *       journal, larger ones are streamed to a part file and fsynced (0: none use the journal)</li>
 *   <li>{@code MYOFLOW_SPOOL_MIN_FREE_MB} (256): below this much usable space on the storage root's file system, new
 *       instances are refused with 0xA700 (out of resources) and the sender keeps them (0: no reserve)</li>
 *   <li>{@code MYOFLOW_SPOOL_RETENTION_DAYS} (0: keep every instance): a study whose every revision Kafka acknowledged
 *       this many days ago (decimals allowed, at least an hour) leaves the spool; its revision records stay, so a copy
 *       sent again later is a new revision</li>
 * </ul>
 */
public record DicomNodeConfig(Path storageRoot, ScpConfig scp, Duration quietPeriod, String kafkaBootstrapServers,
                              Duration kafkaAckTimeout, boolean fsync, int journalLimitBytes, long minFreeBytes,
                              Duration spoolRetention) {

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
        if (journalLimitBytes < 0) {
            throw new IllegalArgumentException("journal limit must be 0 or more KB: " + journalLimitBytes / 1024);
        }
        // under an hour a study could leave the spool before its workflow exported from it
        if (spoolRetention.isNegative() || (!spoolRetention.isZero() && spoolRetention.toMinutes() < 60)) {
            throw new IllegalArgumentException("spool retention must be 0 (keep every instance) or at least an hour: "
                    + spoolRetention);
        }
        // zero or less would complete every study at its first instance, each later one a new revision
        if (quietPeriod.toMillis() < 100 || quietPeriod.toDays() > 1) {
            throw new IllegalArgumentException("quiet period must be 0.1 s to 24 h: " + quietPeriod);
        }
    }

    public static DicomNodeConfig fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * The configuration the environment gives. A value that is not of its setting's type is refused with the
     * variable's name: a port of "abc" would otherwise fail without saying which setting, and a flag read as "anything
     * but true is false" would turn {@code MYOFLOW_SPOOL_FSYNC=yes} into a node that acknowledges instances it has not
     * made durable.
     */
    public static DicomNodeConfig from(Map<String, String> env) {
        ScpConfig d = ScpConfig.defaults();
        ScpConfig scp = new ScpConfig(text(env, "MYOFLOW_DICOM_AE", d.aeTitle()),
                text(env, "MYOFLOW_DICOM_BIND", d.bindAddress()),
                whole(env, "MYOFLOW_DICOM_PORT", d.port()),
                list(env.get("MYOFLOW_DICOM_ALLOWED_CALLING_AE"), d.allowedCallingAeTitles()),
                whole(env, "MYOFLOW_DICOM_MAX_ASSOCIATIONS", d.maxAssociations()),
                whole(env, "MYOFLOW_DICOM_MAX_PENDING_CONNECTIONS", d.maxPendingConnections()),
                list(env.get("MYOFLOW_DICOM_SOP_CLASSES"), d.sopClasses()),
                List.copyOf(list(env.get("MYOFLOW_DICOM_TRANSFER_SYNTAXES"),
                        new LinkedHashSet<>(d.transferSyntaxes()))),
                d.maxPduLength(), seconds(env, "MYOFLOW_DICOM_IDLE_SECONDS", d.idleTimeout()),
                seconds(env, "MYOFLOW_DICOM_REQUEST_SECONDS", d.requestTimeout()),
                seconds(env, "MYOFLOW_DICOM_STOP_DRAIN_SECONDS", d.stopDrain()));
        String kafka = env.get("MYOFLOW_KAFKA_BOOTSTRAP");
        return new DicomNodeConfig(Path.of(text(env, "MYOFLOW_HOME", "myoflow-data")), scp,
                seconds(env, "MYOFLOW_DICOM_QUIET_SECONDS", Duration.ofSeconds(3)),
                kafka == null || kafka.isBlank() ? null : kafka.trim(), Duration.ofSeconds(30),
                flag(env, "MYOFLOW_SPOOL_FSYNC", true),
                1024 * journalLimitKb(env),
                (long) (1024 * 1024 * decimal(env, "MYOFLOW_SPOOL_MIN_FREE_MB",
                        DEFAULT_MIN_FREE_BYTES / (1024.0 * 1024))),
                Duration.ofSeconds(Math.round(86_400 * decimal(env, "MYOFLOW_SPOOL_RETENTION_DAYS", 0))));
    }

    private static int journalLimitKb(Map<String, String> env) {
        int kb = whole(env, "MYOFLOW_SPOOL_JOURNAL_LIMIT_KB", Spool.DEFAULT_JOURNAL_LIMIT / 1024);
        if (kb > Integer.MAX_VALUE / 1024) { // in bytes it would wrap round to a negative limit
            throw new IllegalArgumentException("MYOFLOW_SPOOL_JOURNAL_LIMIT_KB must be at most "
                    + Integer.MAX_VALUE / 1024 + " (the spool uses at most half a journal segment), not " + kb);
        }
        return kb;
    }

    private static String text(Map<String, String> env, String name, String absent) {
        String v = env.get(name);
        return v == null || v.isBlank() ? absent : v.trim();
    }

    private static int whole(Map<String, String> env, String name, int absent) {
        String v = text(env, name, null);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
        }
    }

    private static double decimal(Map<String, String> env, String name, double absent) {
        String v = text(env, name, null);
        if (v == null) {
            return absent;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // refused below, by name
        }
        throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
    }

    private static Duration seconds(Map<String, String> env, String name, Duration absent) {
        return Duration.ofMillis(Math.round(1000 * decimal(env, name, absent.toMillis() / 1000.0)));
    }

    private static boolean flag(Map<String, String> env, String name, boolean absent) {
        String v = text(env, name, null);
        if (v == null) {
            return absent;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    }

    public static DicomNodeConfig defaults(Path storageRoot) {
        return new DicomNodeConfig(storageRoot, ScpConfig.defaults(), Duration.ofSeconds(3), null,
                Duration.ofSeconds(30), true, Spool.DEFAULT_JOURNAL_LIMIT, DEFAULT_MIN_FREE_BYTES, Duration.ZERO);
    }

    public DicomNodeConfig withStorageRoot(Path root) {
        return new DicomNodeConfig(root, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes, spoolRetention);
    }

    public DicomNodeConfig withScp(ScpConfig s) {
        return new DicomNodeConfig(storageRoot, s, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes, spoolRetention);
    }

    public DicomNodeConfig withQuietPeriod(Duration q) {
        return new DicomNodeConfig(storageRoot, scp, q, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes, spoolRetention);
    }

    public DicomNodeConfig withKafka(String bootstrap) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, bootstrap, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes, spoolRetention);
    }

    /** How long one announcement waits for Kafka's acknowledgement before it counts as failed and is retried. */
    public DicomNodeConfig withKafkaAckTimeout(Duration timeout) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, kafkaBootstrapServers, timeout, fsync,
                journalLimitBytes, minFreeBytes, spoolRetention);
    }

    public DicomNodeConfig withJournalLimit(int bytes) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                bytes, minFreeBytes, spoolRetention);
    }

    public DicomNodeConfig withMinFree(long bytes) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, bytes, spoolRetention);
    }

    public DicomNodeConfig withSpoolRetention(Duration retention) {
        return new DicomNodeConfig(storageRoot, scp, quietPeriod, kafkaBootstrapServers, kafkaAckTimeout, fsync,
                journalLimitBytes, minFreeBytes, retention);
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
