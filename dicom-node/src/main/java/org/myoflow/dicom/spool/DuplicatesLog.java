package org.myoflow.dicom.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * {@code spool/duplicates.log}: a line for each second copy of a SOP Instance UID the spool already held (the copy is
 * answered as stored and dropped). Past {@link #LIMIT} it becomes {@code duplicates.log.1}, the one before it goes:
 * a PACS re-sending is routine, so the log must not grow for ever.
 */
final class DuplicatesLog {
    private static final Logger log = LoggerFactory.getLogger(DuplicatesLog.class);
    static final long LIMIT = 16L << 20;

    private final Path file;
    private final Path previous;

    DuplicatesLog(Path spoolDir) {
        this.file = spoolDir.resolve("duplicates.log");
        this.previous = spoolDir.resolve("duplicates.log.1");
    }

    /** Records that a copy of the instance kept at {@code existing} came again. */
    synchronized void record(Path existing) throws IOException {
        String line = Instant.now() + " duplicate of " + existing.getFileName() + " kept at " + existing + "\n";
        if (Files.exists(file) && Files.size(file) > LIMIT) {
            Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            c.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        }
        log.info("event=duplicate file={}", existing);
    }
}
