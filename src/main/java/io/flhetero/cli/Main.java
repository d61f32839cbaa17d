package io.flhetero.cli;

import io.flhetero.data.DataException;
import io.flhetero.fl.availability.OnlineIntervals;
import io.flhetero.profile.ProfileException;
import io.flhetero.report.RunDirectory;
import io.flhetero.run.Checkpoint;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.DockerSetup;
import io.flhetero.runtime.docker.Images;
import io.flhetero.runtime.docker.LimitCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The {@code fl-hetero} command line: wires the subcommands and maps failures to exit codes. */
@Command(name = "fl-hetero", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Federated-learning experiments across heterogeneous devices.",
        subcommands = {RunCommand.class, StopCommand.class, StatusCommand.class, ClientCommand.class,
                RunsCommand.class, ReportCommand.class, DashboardCommand.class, ExportCommand.class, ProfilesCommand.class, BenchCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Log debug detail.")
    void verbose(boolean on) {
        if (on) {
            Verbosity.verbose();
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) throws Exception {
        if (NativeThreads.needsRelaunch(args)) {
            System.exit(NativeThreads.relaunch(args));
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; the tests call this directly. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli;
    }

    /** One clear message instead of a stack trace; the trace only with -v. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = false;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            verbose |= p.hasMatchedOption("-v"); // before or after the subcommand's name
        }
        if (e instanceof ProfileException pe) {
            err.println("error: the profile has " + pe.problems().size() + " problem"
                    + (pe.problems().size() == 1 ? "" : "s") + ":");
            pe.problems().forEach(p -> err.println("  " + p));
            return ExitCode.BAD_INPUT;
        }
        if (e instanceof BadInputException || e instanceof DataException || e instanceof LimitCheck.LimitException
                || e instanceof DockerEngine.NoEngineException || e instanceof Images.ImageException
                || e instanceof DockerSetup.SetupException || e instanceof RunDirectory.RunLiveException
                || e instanceof Checkpoint.CheckpointException
                || e instanceof OnlineIntervals.AvailabilityException) {
            err.println("error: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return ExitCode.BAD_INPUT;
        }
        err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (verbose) {
            e.printStackTrace(err);
        } else {
            err.println("(run again with -v for details)");
        }
        return ExitCode.FAILED;
    }
}
