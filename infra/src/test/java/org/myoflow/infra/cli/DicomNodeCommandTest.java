package org.myoflow.infra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                "--port", "11199", "--stop-drain-seconds", "20");
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

    private static DicomNodeCommand parse(String... args) {
        DicomNodeCommand cmd = new DicomNodeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }
}
