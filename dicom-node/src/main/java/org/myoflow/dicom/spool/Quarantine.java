package org.myoflow.dicom.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code quarantine/}: input the node refused or never acknowledged, kept as received ({@code <time>-<sop>.dcm}) with a
 * reason file beside it ({@code .reason.txt}: why, and which instance, sender and association it came from).
 */
final class Quarantine {
    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    private static final String REASON = ".reason.txt";

    /** What the C-STORE request said of a quarantined instance, for its reason file. */
    record Origin(String sopInstanceUid, String sopClassUid, String transferSyntaxUid, String callingAe,
                  String association) {
    }

    private final Path dir;

    Quarantine(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Path directory() {
        return dir;
    }

    /**
     * Moves {@code part} (durable already) into the quarantine and writes its reason file durably; {@code origin} is
     * null for a part found at startup, whose request is gone. Returns where the file now is.
     */
    Path keep(Path part, String reason, Origin origin) throws IOException {
        String base = Instant.now().toString().replace(':', '-') + "-"
                + (origin != null && Spool.UID.matcher(origin.sopInstanceUid()).matches() ? origin.sopInstanceUid()
                : part.getFileName().toString().replace(".part", ""));
        Path target = dir.resolve(base + ".dcm");
        Spool.move(part, target);
        StringBuilder why = new StringBuilder("reason: ").append(reason).append('\n');
        if (origin != null) {
            why.append("sopInstanceUid: ").append(origin.sopInstanceUid()).append('\n')
                    .append("sopClassUid: ").append(origin.sopClassUid()).append('\n')
                    .append("transferSyntaxUid: ").append(origin.transferSyntaxUid()).append('\n')
                    .append("callingAeTitle: ").append(origin.callingAe()).append('\n')
                    .append("association: ").append(origin.association()).append('\n');
        }
        why.append("quarantinedAt: ").append(Instant.now()).append('\n');
        Spool.writeDurably(dir.resolve(base + REASON), why.toString().getBytes(StandardCharsets.UTF_8));
        Spool.fsyncDirectory(dir);
        log.warn("event=quarantined sop={} file={} reason=\"{}\"", origin == null ? "-" : origin.sopInstanceUid(),
                target, reason);
        return target;
    }

    /**
     * Deletes what was quarantined before {@code cutoff}, each file with its reason (the file first: a stop between
     * the two leaves a reason, which the next pruning takes). Returns {files, bytes}.
     */
    long[] prune(Instant cutoff) throws IOException {
        long files = 0;
        long bytes = 0;
        try (DirectoryStream<Path> reasons = Files.newDirectoryStream(dir, "*" + REASON)) {
            for (Path reason : reasons) {
                if (!Files.getLastModifiedTime(reason).toInstant().isBefore(cutoff)) {
                    continue;
                }
                String name = reason.getFileName().toString();
                Path file = dir.resolve(name.substring(0, name.length() - REASON.length()) + ".dcm");
                if (Files.exists(file)) {
                    bytes += Files.size(file);
                    Files.delete(file);
                    files++;
                }
                Files.delete(reason);
            }
        }
        return new long[] {files, bytes};
    }
}
