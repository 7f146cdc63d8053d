package org.myoflow.dicom.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.NodeMetrics;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.spool.SpooledInstance;
import org.myoflow.workflows.events.StudyReceived;

/** The quiet timer (rule a), on a real spool: a study is complete a quiet period after its last instance. */
class StudyAssemblerTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.7";

    private record Completed(StudyRevision revision, long atNanos) {
    }

    /**
     * Instances keep arriving for three quiet periods: the study stays open all that time, though the timer started
     * by the first one fires in between, and completes once, with every instance, a quiet period after the last.
     */
    @Test
    void aStudyStillReceivingStaysOpenUntilAQuietPeriodAfterItsLastInstance(@TempDir Path root) throws Exception {
        Duration quiet = Duration.ofMillis(500);
        LinkedBlockingQueue<Completed> completed = new LinkedBlockingQueue<>();
        try (Spool spool = new Spool(root);
             StudyAssembler assembler = new StudyAssembler(spool, quiet, new NodeMetrics(new SimpleMeterRegistry()),
                     (r, members) -> completed.add(new Completed(r, System.nanoTime())))) {
            Files.createDirectories(spool.directory().resolve(STUDY));
            long last = 0;
            for (int i = 1; i <= 15; i++) {
                assembler.stored(instance(spool, i), "SCANNER");
                last = System.nanoTime();
                assertNull(completed.peek(), "completed while instance " + i + " was arriving");
                Thread.sleep(100);
            }
            Completed c = completed.poll(10, TimeUnit.SECONDS);
            assertNotNull(c, "the study was never completed");
            long after = c.atNanos() - last;
            assertTrue(after >= quiet.toNanos() - 50_000_000L, "completed " + after / 1_000_000 + " ms after the "
                    + "last instance, before its quiet period");
            assertEquals(StudyReceived.Completion.QUIET_TIMER, c.revision().completion());
            assertEquals(15, c.revision().sopInstanceUids().size());
            assertEquals(1, c.revision().revision());
            assertNull(completed.poll(2 * quiet.toMillis(), TimeUnit.MILLISECONDS), "completed twice");

            assembler.stored(instance(spool, 16), "SCANNER"); // after completion: a new revision, on its own timer
            Completed next = completed.poll(10, TimeUnit.SECONDS);
            assertNotNull(next, "the instance after completion was never completed");
            assertEquals(2, next.revision().revision());
            assertEquals(List.of(uid(16)), next.revision().sopInstanceUids());
        }
    }

    private static SpooledInstance instance(Spool spool, int n) {
        return new SpooledInstance(spool.directory().resolve(STUDY).resolve("2").resolve(uid(n) + ".dcm"), STUDY,
                STUDY + ".2", uid(n), "1.2.840.10008.5.1.4.1.1.2", "CT", 2, "CT", "P1", "Doe^J", "A1", 1, 0, false,
                1000);
    }

    private static String uid(int n) {
        return STUDY + ".2." + n;
    }
}
