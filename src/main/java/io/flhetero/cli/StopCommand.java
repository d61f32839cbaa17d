package io.flhetero.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code stop}: belongs to the Docker runtime, which this version does not have yet. */
@Command(mixinStandardHelpOptions = true, name = "stop", description = "Remove every container and network of a run (Docker runtime).")
final class StopCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("stop is not available yet: it belongs to the Docker runtime, which this version does not "
                + "have. Runs use the in-process runtime and end with their process.");
        return ExitCode.FAILED;
    }
}
