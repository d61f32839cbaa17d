package io.flhetero.runtime.external;

import io.flhetero.profile.ClientSpec;
import io.flhetero.runtime.ClientLostListener;
import io.flhetero.runtime.ClientRuntime;
import io.flhetero.runtime.docker.ClientLaunch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Clients started by someone else (a script, docker compose, a board on the desk): the run has written what they
 * need into its directory, and each joins with {@code fl-hetero client}. The run neither starts nor stops them;
 * one that dies is seen when nobody answers at its address, and is not restarted.
 */
public final class ExternalClientRuntime implements ClientRuntime {

    private final Path runDir;
    private final Consumer<String> say;

    /** @param say where the command line each client needs is told */
    public ExternalClientRuntime(Path runDir, Consumer<String> say) {
        this.runDir = runDir;
        this.say = say;
    }

    @Override
    public void start(String runId, List<ClientSpec> clients, ClientLostListener lost) {
        if (clients.isEmpty()) {
            return;
        }
        say.accept("waiting for " + clients.size() + " clients started elsewhere; each joins with `java -jar "
                + "fl-hetero.jar client --launch " + runDir.resolve(ClientLaunch.FILE) + " --profile "
                + runDir.resolve("profile.yaml") + " --data-dir " + runDir.resolve(ClientLaunch.DATA)
                + " --client-id ID --cpus N --memory SIZE`, ID from " + clients.get(0).id() + " to "
                + clients.get(clients.size() - 1).id());
    }

    @Override
    public String diagnose(String clientId) {
        return "it was to be started elsewhere: see where it was started for its log";
    }

    /**
     * The clients are not ours to stop (the server's shutdown message ends each); the launch file goes, so that a
     * client started for a later attempt does not join with this one's token.
     */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(runDir.resolve(ClientLaunch.FILE));
        } catch (IOException e) {
            say.accept("warning: " + runDir.resolve(ClientLaunch.FILE) + " not removed: " + e.getMessage());
        }
    }
}
