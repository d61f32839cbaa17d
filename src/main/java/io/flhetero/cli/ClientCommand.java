package io.flhetero.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code client}: belongs to the Docker runtime, which this version does not have yet. */
@Command(mixinStandardHelpOptions = true, name = "client", description = "Run one FL client; the entry point inside client containers (Docker runtime).")
final class ClientCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("client is not available yet: it belongs to the Docker runtime, which this version does not "
                + "have. Runs use the in-process runtime and end with their process.");
        return ExitCode.FAILED;
    }
}
