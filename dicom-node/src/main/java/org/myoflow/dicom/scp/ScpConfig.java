package org.myoflow.dicom.scp;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the C-STORE/C-ECHO SCP accepts. Part of {@link org.myoflow.dicom.DicomNodeConfig}.
 *
 * @param aeTitle the node's AE title; associations calling another title are rejected (reason 7)
 * @param allowedCallingAeTitles senders allowed in; empty allows any (reject reason 3 otherwise)
 * @param maxAssociations concurrent associations; more are rejected transiently (local limit exceeded)
 * @param maxPendingConnections connections accepted whose association request is not yet in and answered (each has a
 *                              thread, for at most the request timeout); a connection beyond them is closed at once,
 *                              so a flood of connections cannot exhaust the node's threads or memory
 * @param sopClasses storage SOP classes accepted (Verification is always accepted)
 * @param transferSyntaxes accepted transfer syntaxes, in order of preference
 * @param maxPduLength largest PDU we receive; bigger PDUs mean fewer round trips per instance
 * @param idleTimeout an association silent this long is aborted
 * @param requestTimeout a connection that has not sent its whole A-ASSOCIATE-RQ this long after it was accepted is
 *                       closed (the ARTIM timer, PS3.8 9.1.5); until then it holds no association slot
 * @param stopDrain on stop, how long running associations get to end by themselves before they are aborted (each
 *                  instance already answered is durable; the one in flight is not answered and stays the sender's)
 */
public record ScpConfig(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
                        int maxAssociations, int maxPendingConnections, Set<String> sopClasses,
                        List<String> transferSyntaxes, int maxPduLength, Duration idleTimeout,
                        Duration requestTimeout, Duration stopDrain) {

    /**
     * Docker's {@code stop} sends SIGKILL 10 s after SIGTERM: 8 s of drain leaves the rest of the stop (journal
     * checkpoint, Kafka producer) its time. Raise it together with the container's stop grace period.
     */
    public static final Duration DEFAULT_STOP_DRAIN = Duration.ofSeconds(8);

    /** A sender writes its A-ASSOCIATE-RQ as soon as it has connected; dcmtk's storescp waits 30 s (--acse-timeout). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A request is in within milliseconds of connecting, so even many scanners connecting at once are rarely more
     * than a few pending; 64 keeps a flood of silent connections to 64 threads of a small stack each.
     */
    public static final int DEFAULT_MAX_PENDING_CONNECTIONS = 64;

    public static final String VERIFICATION = "1.2.840.10008.1.1";

    /** NM, PET, CT, MR and their enhanced forms, legacy-converted, Secondary Capture, SEG and SR. */
    public static final Set<String> DEFAULT_SOP_CLASSES = Set.of(
            "1.2.840.10008.5.1.4.1.1.20",      // NM Image
            "1.2.840.10008.5.1.4.1.1.128",     // PET Image
            "1.2.840.10008.5.1.4.1.1.130",     // Enhanced PET Image
            "1.2.840.10008.5.1.4.1.1.128.1",   // Legacy Converted Enhanced PET Image
            "1.2.840.10008.5.1.4.1.1.2",       // CT Image
            "1.2.840.10008.5.1.4.1.1.2.1",     // Enhanced CT Image
            "1.2.840.10008.5.1.4.1.1.2.2",     // Legacy Converted Enhanced CT Image
            "1.2.840.10008.5.1.4.1.1.4",       // MR Image
            "1.2.840.10008.5.1.4.1.1.4.1",     // Enhanced MR Image
            "1.2.840.10008.5.1.4.1.1.4.4",     // Legacy Converted Enhanced MR Image
            "1.2.840.10008.5.1.4.1.1.7",       // Secondary Capture Image
            "1.2.840.10008.5.1.4.1.1.7.2",     // Multi-frame Grayscale Byte SC
            "1.2.840.10008.5.1.4.1.1.7.3",     // Multi-frame Grayscale Word SC
            "1.2.840.10008.5.1.4.1.1.7.4",     // Multi-frame True Color SC
            "1.2.840.10008.5.1.4.1.1.66.4",    // Segmentation (returned corrections)
            "1.2.840.10008.5.1.4.1.1.88.22",   // Enhanced SR
            "1.2.840.10008.5.1.4.1.1.88.33");  // Comprehensive SR

    /**
     * Uncompressed little endian, deflate and the lossless compressions PACS forward in (JPEG Lossless, JPEG 2000
     * lossless, RLE): all stored as received and converted to volumes (JPEG Lossless decoded by TwelveMonkeys' ImageIO
     * reader through PixelMed, JPEG 2000 by JJ2000's from jai-imageio, RLE by PixelMed). Uncompressed first: a sender
     * that offers both sends uncompressed.
     */
    public static final List<String> DEFAULT_TRANSFER_SYNTAXES = List.of(
            "1.2.840.10008.1.2.1",     // Explicit VR Little Endian
            "1.2.840.10008.1.2",       // Implicit VR Little Endian
            "1.2.840.10008.1.2.1.99",  // Deflated Explicit VR Little Endian
            "1.2.840.10008.1.2.4.70",  // JPEG Lossless, first-order prediction (SV1)
            "1.2.840.10008.1.2.4.57",  // JPEG Lossless, non-hierarchical (process 14)
            "1.2.840.10008.1.2.4.90",  // JPEG 2000 Image Compression (Lossless Only)
            "1.2.840.10008.1.2.5");    // RLE Lossless

    public ScpConfig {
        if (aeTitle.isBlank() || aeTitle.length() > 16) {
            throw new IllegalArgumentException("AE title must be 1-16 characters: '" + aeTitle + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations must be >= 1: " + maxAssociations);
        }
        if (maxPendingConnections < 1) {
            throw new IllegalArgumentException("maxPendingConnections must be >= 1: " + maxPendingConnections);
        }
        if (maxPduLength < 4096) {
            throw new IllegalArgumentException("maxPduLength must be >= 4096: " + maxPduLength);
        }
        // zero would be a socket without read timeout: a sender that dies silently would hold its slot for ever
        if (idleTimeout.toMillis() < 1000 || idleTimeout.toHours() > 24) {
            throw new IllegalArgumentException("idle timeout must be 1 s to 24 h: " + idleTimeout);
        }
        if (requestTimeout.toMillis() < 1000 || requestTimeout.toHours() > 1) {
            throw new IllegalArgumentException("association request timeout must be 1 s to 1 h: " + requestTimeout);
        }
        if (stopDrain.isNegative() || stopDrain.toHours() > 24) {
            throw new IllegalArgumentException("stop drain must be 0 s to 24 h: " + stopDrain);
        }
        requireUids("SOP class", sopClasses);
        requireUids("transfer syntax", transferSyntaxes);
        allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
        sopClasses = Set.copyOf(sopClasses);
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }

    /** PS3.5 9.1: digits in components without leading zeros, separated by dots, at most 64 characters. */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /**
     * A list of none would accept nothing but C-ECHO, and a name or a typo where a UID belongs would match no
     * sender's proposal: either way scanners would be turned away with nothing in the node's log to say why.
     */
    private static void requireUids(String what, Collection<String> uids) {
        if (uids.isEmpty()) {
            throw new IllegalArgumentException("at least one " + what + " UID must be accepted");
        }
        for (String uid : uids) {
            if (uid.length() > 64 || !UID.matcher(uid).matches()) {
                throw new IllegalArgumentException("not a " + what + " UID: '" + uid + "'");
            }
        }
    }

    public static ScpConfig defaults() {
        return new ScpConfig("MYOFLOW", "127.0.0.1", 11112, Set.of(), 16, DEFAULT_MAX_PENDING_CONNECTIONS,
                DEFAULT_SOP_CLASSES, DEFAULT_TRANSFER_SYNTAXES, 256 * 1024, Duration.ofSeconds(60),
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_STOP_DRAIN);
    }

    public ScpConfig withPort(int p) {
        return new ScpConfig(aeTitle, bindAddress, p, allowedCallingAeTitles, maxAssociations, maxPendingConnections,
                sopClasses, transferSyntaxes, maxPduLength, idleTimeout, requestTimeout, stopDrain);
    }

    public ScpConfig withAllowedCallingAeTitles(Set<String> titles) {
        return new ScpConfig(aeTitle, bindAddress, port, titles, maxAssociations, maxPendingConnections, sopClasses,
                transferSyntaxes, maxPduLength, idleTimeout, requestTimeout, stopDrain);
    }

    public ScpConfig withMaxAssociations(int n) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, n, maxPendingConnections, sopClasses,
                transferSyntaxes, maxPduLength, idleTimeout, requestTimeout, stopDrain);
    }

    public ScpConfig withMaxPendingConnections(int n) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, maxAssociations, n, sopClasses,
                transferSyntaxes, maxPduLength, idleTimeout, requestTimeout, stopDrain);
    }

    public ScpConfig withIdleTimeout(Duration timeout) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, maxAssociations, maxPendingConnections,
                sopClasses, transferSyntaxes, maxPduLength, timeout, requestTimeout, stopDrain);
    }

    public ScpConfig withRequestTimeout(Duration timeout) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, maxAssociations, maxPendingConnections,
                sopClasses, transferSyntaxes, maxPduLength, idleTimeout, timeout, stopDrain);
    }

    public ScpConfig withStopDrain(Duration drain) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, maxAssociations, maxPendingConnections,
                sopClasses, transferSyntaxes, maxPduLength, idleTimeout, requestTimeout, drain);
    }

    public ScpConfig withTransferSyntaxes(List<String> syntaxes) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, maxAssociations, maxPendingConnections,
                sopClasses, syntaxes, maxPduLength, idleTimeout, requestTimeout, stopDrain);
    }

    public ScpConfig withSopClasses(Set<String> classes) {
        return new ScpConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, maxAssociations, maxPendingConnections,
                classes, transferSyntaxes, maxPduLength, idleTimeout, requestTimeout, stopDrain);
    }
}
