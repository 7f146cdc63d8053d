package org.myoflow.dicom.scu;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Sends files to a PACS by C-STORE on one association, with PixelMed's multi-file SCU and its status handler (the
 * single-file form hides failures). Any instance not stored with success fails the whole send, so the caller retries.
 */
public final class StorageScu {
    private static final Logger log = LoggerFactory.getLogger(StorageScu.class);

    private StorageScu() {
    }

    /** Thrown when the destination is unreachable or did not store every file. */
    public static final class SendFailedException extends IOException {
        public SendFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static void send(PacsDestination to, String callingAe, List<Path> files) throws SendFailedException {
        SetOfDicomFiles set = new SetOfDicomFiles();
        try {
            for (Path f : files) {
                set.add(f.toFile());
            }
        } catch (IOException e) {
            throw new SendFailedException("cannot read " + files + ": " + e.getMessage(), e);
        }
        int[] outcome = new int[3]; // completed, failed, warning
        MultipleInstanceTransferStatusHandler status = new MultipleInstanceTransferStatusHandler() {
            @Override
            public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid) {
                outcome[0] = completed;
                outcome[1] = failed;
                outcome[2] = warning;
            }
        };
        long t0 = System.nanoTime();
        try {
            new StorageSOPClassSCU(to.host(), to.port(), to.aeTitle(), callingAe, set, 0, status);
        } catch (RuntimeException e) { // this form reports network failures through the counts, not exceptions
            throw new SendFailedException("C-STORE to " + to + " failed: " + e.getMessage(), e);
        }
        if (outcome[0] + outcome[2] != files.size()) {
            throw new SendFailedException("C-STORE to " + to + ": " + outcome[0] + " stored, " + outcome[1]
                    + " failed, " + outcome[2] + " with warnings of " + files.size(), null);
        }
        log.info("event=pacs_stored destination={} files={} ms={}", to, files.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }
}
