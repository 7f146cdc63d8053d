package org.myoflow.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DicomNodeConfigTest {

    @Test
    void theIdleTimeoutComesFromTheEnvironmentAndDefaultsToAMinute() {
        assertEquals(Duration.ofSeconds(60), DicomNodeConfig.from(Map.of()).scp().idleTimeout());
        assertEquals(Duration.ofSeconds(300),
                DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_IDLE_SECONDS", "300")).scp().idleTimeout());
    }

    @Test
    void anIdleTimeoutOfZeroIsRefusedRatherThanMeaningForEver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_IDLE_SECONDS", "0")));
        assertTrue(e.getMessage().contains("idle timeout"), e.getMessage());
    }

    @Test
    void theStopDrainComesFromTheEnvironmentAndDefaultsToLessThanDockersStopTimeout() {
        assertEquals(Duration.ofSeconds(8), DicomNodeConfig.from(Map.of()).scp().stopDrain());
        assertEquals(Duration.ofMillis(1500),
                DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_STOP_DRAIN_SECONDS", "1.5")).scp().stopDrain());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_STOP_DRAIN_SECONDS", "-1")));
        assertTrue(e.getMessage().contains("stop drain"), e.getMessage());
    }

    @Test
    void theFreeSpaceReserveComesFromTheEnvironmentInMegabytesAndCannotBeNegative() {
        assertEquals(256L << 20, DicomNodeConfig.from(Map.of()).minFreeBytes());
        assertEquals(256L << 20, DicomNodeConfig.defaults(java.nio.file.Path.of("x")).minFreeBytes());
        assertEquals(64L << 20, DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_MIN_FREE_MB", "64")).minFreeBytes());
        assertEquals(0, DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_MIN_FREE_MB", "0")).minFreeBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_MIN_FREE_MB", "-1")));
        assertTrue(e.getMessage().contains("free-space reserve"), e.getMessage());
    }
}
