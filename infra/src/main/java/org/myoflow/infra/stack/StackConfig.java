package org.myoflow.infra.stack;

import org.myoflow.dicom.scu.PacsDestination;
import org.myoflow.workers.CameraResolutions;

import java.util.List;
import java.util.Map;

/**
 * Where the services of a run are: embedded (in this JVM, on loopback) unless an external address is given.
 *
 * @param kafkaBootstrap {@code MYOFLOW_KAFKA_BOOTSTRAP}: external Kafka; empty runs the embedded broker
 * @param embeddedKafkaPort {@code MYOFLOW_KAFKA_PORT} (9092; 0 picks one)
 * @param temporalTarget {@code MYOFLOW_TEMPORAL_TARGET} (host:port): external Temporal; empty runs the embedded
 *     test service
 * @param temporalNamespace {@code MYOFLOW_TEMPORAL_NAMESPACE} (default)
 * @param temporalTls {@code MYOFLOW_TEMPORAL_TLS} (false): TLS to an external Temporal with the JVM's trust store
 * @param embeddedTemporalPort {@code MYOFLOW_TEMPORAL_PORT} (7233; 0 picks one)
 * @param pacs {@code MYOFLOW_PACS}: destinations for results, {@code AE@host:port,...}
 * @param scuAeTitle {@code MYOFLOW_SCU_AE} (MYOFLOW): our calling AE title towards the PACS
 * @param fractionalSeg {@code MYOFLOW_SEG_TYPE} (BINARY or FRACTIONAL): FRACTIONAL sends the probabilities
 * @param cameras {@code MYOFLOW_CAMERA_FWHM_MM}: the reconstructed resolution (FWHM, mm, from the camera's QC) of
 *     the SPECT cameras served, one number or {@code AE=mm,...,*=mm} by calling AE title; unknown when unset (the
 *     volume calibration is sharper with it)
 */
public record StackConfig(String kafkaBootstrap, int embeddedKafkaPort, String temporalTarget,
                          String temporalNamespace, boolean temporalTls, int embeddedTemporalPort,
                          List<PacsDestination> pacs, String scuAeTitle, boolean fractionalSeg,
                          CameraResolutions cameras) {

    public static StackConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static StackConfig from(Map<String, String> env) {
        return new StackConfig(env.getOrDefault("MYOFLOW_KAFKA_BOOTSTRAP", ""),
                port(env, "MYOFLOW_KAFKA_PORT", 9092),
                env.getOrDefault("MYOFLOW_TEMPORAL_TARGET", ""),
                env.getOrDefault("MYOFLOW_TEMPORAL_NAMESPACE", "default"),
                tls(env.getOrDefault("MYOFLOW_TEMPORAL_TLS", "false")),
                port(env, "MYOFLOW_TEMPORAL_PORT", 7233),
                PacsDestination.parseList(env.getOrDefault("MYOFLOW_PACS", "")),
                env.getOrDefault("MYOFLOW_SCU_AE", "MYOFLOW"),
                segType(env.getOrDefault("MYOFLOW_SEG_TYPE", "BINARY")),
                cameras(env.getOrDefault("MYOFLOW_CAMERA_FWHM_MM", "")));
    }

    /** A port to listen on; 0 lets the system pick one. */
    private static int port(Map<String, String> env, String name, int absent) {
        String v = env.getOrDefault(name, "").strip();
        if (v.isEmpty()) {
            return absent;
        }
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // refused below, by name
        }
        throw new IllegalArgumentException(name + " must be a port number (0-65535, 0 picks one), got " + v);
    }

    /** Strict: a misspelt value must not quietly mean "no TLS" to an external Temporal. */
    private static boolean tls(String v) {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException("MYOFLOW_TEMPORAL_TLS must be true or false, got " + v);
        };
    }

    private static boolean segType(String v) {
        return switch (v.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "BINARY" -> false;
            case "FRACTIONAL" -> true;
            default -> throw new IllegalArgumentException("MYOFLOW_SEG_TYPE must be BINARY or FRACTIONAL, got " + v);
        };
    }

    private static CameraResolutions cameras(String v) {
        try {
            return CameraResolutions.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MYOFLOW_CAMERA_FWHM_MM (mm, or AE=mm,...,*=mm): " + e.getMessage(), e);
        }
    }

    public StackConfig withEmbeddedPorts(int kafka, int temporal) {
        return new StackConfig(kafkaBootstrap, kafka, temporalTarget, temporalNamespace, temporalTls, temporal, pacs,
                scuAeTitle, fractionalSeg, cameras);
    }

    public StackConfig withPacs(List<PacsDestination> destinations) {
        return new StackConfig(kafkaBootstrap, embeddedKafkaPort, temporalTarget, temporalNamespace, temporalTls,
                embeddedTemporalPort, List.copyOf(destinations), scuAeTitle, fractionalSeg, cameras);
    }
}
