package org.myoflow.infra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.infra.Main;
import picocli.CommandLine;

class DicomNodeCommandTest {
    private static final Map<String, String> ENV = Map.of("MYOFLOW_DICOM_AE", "ENVAE",
            "MYOFLOW_DICOM_MAX_ASSOCIATIONS", "3", "MYOFLOW_DICOM_IDLE_SECONDS", "30");

    /** Every SCP setting the issue names can be given as an option; an option wins over the environment. */
    @Test
    void optionsOverrideTheEnvironment() {
        DicomNodeCommand cmd = parse("--max-associations", "5", "--idle-seconds", "120",
                "--sop-classes", "1.2.840.10008.5.1.4.1.1.20,1.2.840.10008.5.1.4.1.1.128",
                "--transfer-syntaxes", "1.2.840.10008.1.2,1.2.840.10008.1.2.1", "--allow", "SCANNER1,SCANNER2",
                "--port", "11199", "--stop-drain-seconds", "20", "--min-free-mb", "1024", "--request-seconds", "5");
        assertEquals(1024L << 20, cmd.config(ENV).minFreeBytes());
        ScpConfig scp = cmd.config(ENV).scp();
        assertEquals("ENVAE", scp.aeTitle(), "no --ae: the environment's title stays");
        assertEquals(5, scp.maxAssociations());
        assertEquals(Duration.ofSeconds(120), scp.idleTimeout());
        assertEquals(Set.of("1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.128"), scp.sopClasses());
        assertEquals(List.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1"), scp.transferSyntaxes(),
                "order of preference kept");
        assertEquals(Set.of("SCANNER1", "SCANNER2"), scp.allowedCallingAeTitles());
        assertEquals(11199, scp.port());
        assertEquals(Duration.ofSeconds(20), scp.stopDrain());
        assertEquals(Duration.ofSeconds(5), scp.requestTimeout());
    }

    @Test
    void withoutOptionsTheEnvironmentDecides() {
        assertEquals(DicomNodeConfig.from(ENV), parse().config(ENV));
    }

    /** A value the SCP refuses is a usage error naming it (exit 2), and the node does not start. */
    @Test
    void refusedValueIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("dicom-node", "--max-associations", "0", "--port", "0"));
        assertTrue(err.toString().contains("maxAssociations must be >= 1: 0"), err.toString());
    }

    /**
     * A spool whose journal cannot be replayed stops the start with the reason on one line (exit 1, no stack
     * trace), and the segment is left where it was. Here a record points outside the spool (a full disk, the usual
     * cause, is in DiskFullTest: it needs a small file system).
     */
    @Test
    void aJournalThatCannotBeReplayedStopsTheStartWithItsReason(@org.junit.jupiter.api.io.TempDir Path home)
            throws Exception {
        Path journal = home.resolve("spool/.journal");
        Files.createDirectories(journal);
        byte[] path = "../outside.dcm".getBytes(StandardCharsets.US_ASCII);
        byte[] data = {1, 2, 3, 4};
        CRC32C crc = new CRC32C();
        crc.update(path);
        crc.update(data);
        ByteBuffer record = ByteBuffer.allocate(24 + path.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x4D594A31).putLong(7).putInt(path.length).putInt(data.length).putInt((int) crc.getValue())
                .put(path).put(data);
        Path segment = journal.resolve("7.wal");
        Files.write(segment, record.array());
        Run run = execute("dicom-node", "--home", home.toString(), "--port", "0");
        String said = run.said();
        assertEquals(1, run.exit(), said);
        assertTrue(said.contains("dicom-node: cannot start: the spool's journal could not be replayed (journal "
                + "record points outside the spool: ../outside.dcm"), said);
        assertTrue(!said.contains("\tat "), "no stack trace: " + said);
        assertTrue(Files.exists(segment), "the segment is kept");
    }

    /**
     * A port another program holds stops the start with the address on one line (exit 1, no stack trace), and what
     * had started is stopped again: the spool closed cleanly (its journal has no segment left to replay).
     */
    @Test
    void aTakenPortStopsTheStartWithItsReason(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Run run = execute("dicom-node", "--home", home.toString(), "--port",
                    String.valueOf(taken.getLocalPort()));
            String said = run.said();
            assertEquals(1, run.exit(), said);
            assertTrue(said.contains("dicom-node: cannot start: cannot listen for DICOM on 127.0.0.1:"
                    + taken.getLocalPort() + " ("), said);
            assertTrue(!said.contains("\tat "), "no stack trace: " + said);
            try (java.util.stream.Stream<Path> s = Files.list(home.resolve("spool/.journal"))) {
                assertEquals(List.of(), s.filter(f -> f.getFileName().toString().matches("[0-9]+\\.wal")).toList(),
                        "the spool was closed: no journal segment to replay");
            }
        }
    }

    /** What the command said: picocli's error writer and stderr, where the command prints its one line. */
    private record Run(int exit, String said) {
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(out));
            int exit = cli.execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8) + out);
        } finally {
            System.setErr(err);
        }
    }

    private static DicomNodeCommand parse(String... args) {
        DicomNodeCommand cmd = new DicomNodeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }
}
