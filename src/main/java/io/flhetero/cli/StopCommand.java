package io.flhetero.cli;

import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.RunOwner;
import io.flhetero.runtime.docker.RunsOnEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code stop}: removes a run's containers, network and Swarm services by label, after its orchestrator was killed. A live run (its
 * orchestrator still running) is left alone unless {@code --force}: it removes its own containers when it ends, and
 * removing them from under it would fail its clients.
 */
@Command(mixinStandardHelpOptions = true, name = "stop", description = "Remove every container, network and Swarm service of a run "
        + "whose orchestrator is gone (a crash, a SIGKILL), found by label; --all does so for every such run. A live "
        + "run is refused unless --force.")
final class StopCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "The run to stop (see `status`).")
    String runId;

    @Option(names = "--all", description = "Every run with containers or networks (live ones only with --force).")
    boolean all;

    @Option(names = "--force", description = "Also remove a live run's containers, from under its orchestrator.")
    boolean force;

    @Override
    public Integer call() {
        try (DockerEngine engine = DockerEngine.connect()) {
            Map<String, Optional<RunOwner>> runs = RunsOnEngine.owners(engine);
            List<String> targets = targets(engine, runs);
            List<String> removed = new ArrayList<>();
            for (String run : targets) {
                Optional<RunOwner> live = RunsOnEngine.liveOwner(runs, run);
                if (live.isPresent() && !force) {
                    String why = "run " + run + " is live: its orchestrator (" + live.get().describe() + ") is running. "
                            + "Stop it with Ctrl-C or `kill " + live.get().pid() + "`: it removes its own containers; "
                            + "`fl-hetero stop " + run + " --force` removes them from under it";
                    if (!all) {
                        throw new BadInputException(why);
                    }
                    System.out.println("left alone: " + why);
                    continue;
                }
                removed.addAll(RunsOnEngine.removeRun(engine, run));
            }
            if (targets.isEmpty()) {
                System.out.println("no fl-hetero containers or networks on " + engine.host());
            } else if (!removed.isEmpty()) {
                System.out.println("removed " + String.join(", ", removed));
            }
            return ExitCode.OK;
        }
    }

    private List<String> targets(DockerEngine engine, Map<String, Optional<RunOwner>> runs) {
        if (all) {
            return List.copyOf(runs.keySet());
        }
        if (runId != null) {
            if (!runs.containsKey(runId)) {
                throw new BadInputException("no containers or networks of run " + runId + " on " + engine.host()
                        + ": it has ended, or never ran on this engine; `fl-hetero status` lists the runs that have some");
            }
            return List.of(runId);
        }
        if (runs.size() > 1) {
            throw new BadInputException("several runs have containers (" + String.join(", ", runs.keySet())
                    + "); name one, or pass --all");
        }
        return List.copyOf(runs.keySet());
    }
}
