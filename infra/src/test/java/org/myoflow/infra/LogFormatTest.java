package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped logback configuration: one line per event, whatever a message carries. */
class LogFormatTest {
    @Test
    void aMessageWithLineBreaksStaysOneLineSoNoInputCanForgeAnother() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // the pattern has %mdc
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            // a series description, say, as a sender wrote it, inside a reason the node logs
            context.getLogger("org.myoflow.test").warn("event=series_not_a_volume study=1.2.3 reason=\"{}\"",
                    "CT\nlevel=ERROR logger=Spool msg=\"event=spool_lost\"\r\nend");
            context.stop();
        } finally {
            System.setErr(stderr);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("level=WARN") && lines.get(0).contains(
                "reason=\"CT level=ERROR logger=Spool msg=\"event=spool_lost\" end\""), lines.get(0));
    }
}
