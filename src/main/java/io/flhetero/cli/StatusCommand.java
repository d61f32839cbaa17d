package io.flhetero.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code status}: belongs to the Docker runtime, which this version does not have yet. */
@Command(mixinStandardHelpOptions = true, name = "status", description = "List runs, their containers, limits and live usage (Docker runtime).")
final class StatusCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("status is not available yet: it belongs to the Docker runtime, which this version does not "
                + "have. Runs use the in-process runtime and end with their process.");
        return ExitCode.FAILED;
    }
}
