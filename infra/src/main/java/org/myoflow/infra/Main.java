package org.myoflow.infra;

import org.myoflow.infra.cli.BenchE2eCommand;
import org.myoflow.infra.cli.BenchImagingCommand;
import org.myoflow.infra.cli.BenchUnetCommand;
import org.myoflow.infra.cli.CalibrateCommand;
import org.myoflow.infra.cli.DemoCommand;
import org.myoflow.infra.cli.DicomNodeCommand;
import org.myoflow.infra.cli.SimulateCommand;
import org.myoflow.infra.cli.EvaluateCommand;
import org.myoflow.infra.cli.ModelsCommand;
import org.myoflow.infra.cli.NodeCommand;
import org.myoflow.infra.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code myoflow} command line: one jar, the role chosen by the subcommand. */
@Command(name = "myoflow", mixinStandardHelpOptions = true, version = "myoflow 0.1.0",
        description = "Cardiac SPECT segmentation from DICOM to PACS.",
        subcommands = {DemoCommand.class, NodeCommand.All.class, NodeCommand.Starter.class, NodeCommand.Worker.class, DicomNodeCommand.class, SimulateCommand.class, TrainCommand.class, EvaluateCommand.class, CalibrateCommand.class, ModelsCommand.class,
            BenchImagingCommand.class, BenchUnetCommand.class, BenchE2eCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::userError);
    }

    /**
     * A command refusing what it was asked (a wrong argument, a model that is not there, nothing to roll back to)
     * says so in one line and exits non-zero; a stack trace is for what the operator cannot fix (anything else).
     */
    private static int userError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) throws Exception {
        String reason;
        if (e instanceof IllegalArgumentException) {
            reason = e.getMessage();
        } else if (e instanceof java.nio.file.NoSuchFileException missing) {
            reason = "no such file: " + missing.getFile();
        } else if (e instanceof java.io.IOException) {
            reason = e.getMessage();
        } else {
            throw e;
        }
        cli.getErr().println(cli.getColorScheme().errorText("myoflow " + cli.getCommandName() + ": " + reason));
        return e instanceof IllegalArgumentException ? cli.getCommandSpec().exitCodeOnInvalidInput()
                : cli.getCommandSpec().exitCodeOnExecutionException();
    }
}
