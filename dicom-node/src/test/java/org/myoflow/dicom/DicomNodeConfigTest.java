package org.myoflow.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void theAssociationRequestTimeoutComesFromTheEnvironmentAndIsNeverZero() {
        assertEquals(Duration.ofSeconds(10), DicomNodeConfig.from(Map.of()).scp().requestTimeout());
        assertEquals(Duration.ofMillis(2500),
                DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_REQUEST_SECONDS", "2.5")).scp().requestTimeout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_REQUEST_SECONDS", "0")));
        assertTrue(e.getMessage().contains("association request timeout"), e.getMessage());
    }

    @Test
    void thePendingConnectionLimitComesFromTheEnvironmentAndIsAtLeastOne() {
        assertEquals(64, DicomNodeConfig.from(Map.of()).scp().maxPendingConnections());
        assertEquals(8, DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_MAX_PENDING_CONNECTIONS", "8")).scp()
                .maxPendingConnections());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_MAX_PENDING_CONNECTIONS", "0")));
        assertEquals("maxPendingConnections must be >= 1: 0", e.getMessage());
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

    /** Off unless asked for; in days, decimals allowed; under an hour a study could leave before it was exported. */
    @Test
    void theSpoolRetentionIsOffByDefaultInDaysAndAtLeastAnHour() {
        assertEquals(Duration.ZERO, DicomNodeConfig.from(Map.of()).spoolRetention());
        assertEquals(Duration.ZERO, DicomNodeConfig.defaults(java.nio.file.Path.of("x")).spoolRetention());
        assertEquals(Duration.ofDays(30),
                DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_RETENTION_DAYS", "30")).spoolRetention());
        assertEquals(Duration.ofHours(12),
                DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_RETENTION_DAYS", "0.5")).spoolRetention());
        for (String v : new String[] {"0.01", "-1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_RETENTION_DAYS", v)), v);
            assertTrue(e.getMessage().startsWith("spool retention must be 0 (keep every instance) or at least an hour"),
                    e.getMessage());
        }
        assertEquals("MYOFLOW_SPOOL_RETENTION_DAYS must be a number, not 'a month'", assertThrows(
                IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_RETENTION_DAYS", "a month"))).getMessage());
    }

    @Test
    void retentionSweepsRunEveryTwentyFourthOfTheRetentionBetweenAMinuteAndAnHour() {
        assertEquals(Duration.ofMinutes(1), DicomNode.sweepPeriod(Duration.ofMinutes(20)));
        assertEquals(Duration.ofMinutes(30), DicomNode.sweepPeriod(Duration.ofHours(12)));
        assertEquals(Duration.ofHours(1), DicomNode.sweepPeriod(Duration.ofDays(30)));
    }

    /** Anything but true or false is refused: read as false, "yes" would acknowledge what is not on disk yet. */
    @Test
    void theFsyncFlagIsTrueOrFalseAndNothingElse() {
        assertTrue(DicomNodeConfig.from(Map.of()).fsync());
        assertTrue(DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_FSYNC", "TRUE")).fsync());
        assertFalse(DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_FSYNC", "false")).fsync());
        for (String v : new String[] {"yes", "1", "on", "ture"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_FSYNC", v)), v);
            assertEquals("MYOFLOW_SPOOL_FSYNC must be true or false, not '" + v + "'", e.getMessage());
        }
    }

    /** A value of the wrong type names its variable, as an out-of-range one names its setting. */
    @Test
    void aValueThatIsNotANumberNamesItsVariable() {
        assertEquals(11113, DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_PORT", " 11113 ")).scp().port());
        Map<String, String> wrong = Map.of("MYOFLOW_DICOM_PORT", "eleven", "MYOFLOW_DICOM_MAX_ASSOCIATIONS", "4.5",
                "MYOFLOW_DICOM_IDLE_SECONDS", "1m", "MYOFLOW_DICOM_QUIET_SECONDS", "NaN",
                "MYOFLOW_SPOOL_JOURNAL_LIMIT_KB", "1 MB", "MYOFLOW_SPOOL_MIN_FREE_MB", "lots");
        wrong.forEach((name, value) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DicomNodeConfig.from(Map.of(name, value)), name);
            assertTrue(e.getMessage().startsWith(name + " must be a "), e.getMessage());
            assertTrue(e.getMessage().endsWith("not '" + value + "'"), e.getMessage());
        });
    }

    @Test
    void aNegativeJournalLimitOrANoQuietPeriodIsRefused() {
        assertEquals(0, DicomNodeConfig.from(Map.of("MYOFLOW_SPOOL_JOURNAL_LIMIT_KB", "0")).journalLimitBytes());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomNodeConfig.from(
                Map.of("MYOFLOW_SPOOL_JOURNAL_LIMIT_KB", "-1"))).getMessage().contains("journal limit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomNodeConfig.from(
                Map.of("MYOFLOW_SPOOL_JOURNAL_LIMIT_KB", "3000000"))).getMessage().startsWith(
                        "MYOFLOW_SPOOL_JOURNAL_LIMIT_KB must be at most 2097151"));
        assertEquals(Duration.ofMillis(500),
                DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_QUIET_SECONDS", "0.5")).quietPeriod());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DicomNodeConfig.from(
                Map.of("MYOFLOW_DICOM_QUIET_SECONDS", "0"))).getMessage().contains("quiet period"));
    }

    /** A name, a typo or an empty list where SOP class or transfer syntax UIDs belong would turn every sender away. */
    @Test
    void sopClassesAndTransferSyntaxesMustBeUids() {
        assertEquals(java.util.Set.of("1.2.840.10008.5.1.4.1.1.20"), DicomNodeConfig.from(
                Map.of("MYOFLOW_DICOM_SOP_CLASSES", "1.2.840.10008.5.1.4.1.1.20")).scp().sopClasses());
        Map<String, String> refused = Map.of("NMImageStorage", "not a SOP class UID: 'NMImageStorage'",
                "1.2.840.10008.5.1.4.1.1..20", "not a SOP class UID: '1.2.840.10008.5.1.4.1.1..20'",
                "1.2.840.10008.5.1.4.1.1.020", "not a SOP class UID: '1.2.840.10008.5.1.4.1.1.020'",
                " , ", "at least one SOP class UID must be accepted");
        refused.forEach((value, message) -> assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_SOP_CLASSES", value))).getMessage()));
        assertEquals("not a transfer syntax UID: 'ExplicitVRLittleEndian'", assertThrows(
                IllegalArgumentException.class, () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_TRANSFER_SYNTAXES",
                        "1.2.840.10008.1.2,ExplicitVRLittleEndian"))).getMessage());
        String tooLong = "1." + "2".repeat(63);
        assertThrows(IllegalArgumentException.class,
                () -> DicomNodeConfig.from(Map.of("MYOFLOW_DICOM_TRANSFER_SYNTAXES", tooLong)));
    }
}
