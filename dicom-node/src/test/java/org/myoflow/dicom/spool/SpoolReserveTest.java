package org.myoflow.dicom.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free-space reserve: a reading of the disk may stand in for the next checks for a moment, but only while it is
 * far above the reserve; near it, every check reads the disk again, so space taken by anyone else counts at once.
 */
class SpoolReserveTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void nearTheReserveEveryCheckReadsTheDiskAgain() throws Exception {
        long usable = Files.getFileStore(root).getUsableSpace();
        // the reserve 16 MB below what is usable now (1 MB journal segments take a little of that)
        try (Spool spool = new Spool(root, true, 512 * 1024, MB, usable - 16 * MB)) {
            assertNull(spool.refusal(), "above the reserve: taken");
            // something else takes 48 MB, at once
            Process p = new ProcessBuilder(List.of("fallocate", "-l", String.valueOf(48 * MB),
                    root.resolve("filler").toString())).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
            String refusal = spool.refusal();
            assertNotNull(refusal, "below the reserve right after the filler: refused");
            assertTrue(refusal.startsWith("storage full"), refusal);

            Files.delete(root.resolve("filler"));
            assertNull(spool.refusal(), "space freed: taken again");
        }
    }
}
