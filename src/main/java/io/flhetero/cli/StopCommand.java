package io.flhetero.cli;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.RunLabels;
import io.flhetero.runtime.docker.RunNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code stop}: removes a run's containers and network by label, also after its orchestrator was killed. */
@Command(mixinStandardHelpOptions = true, name = "stop", description = "Remove every container and network of a run, "
        + "found by label (also after a crash); --all removes every fl-hetero container and network.")
final class StopCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "The run to stop (see `status`).")
    String runId;

    @Option(names = "--all", description = "Remove the containers and networks of every run.")
    boolean all;

    @Override
    public Integer call() {
        try (DockerEngine engine = DockerEngine.connect()) {
            Map<String, String> labels;
            if (all) {
                labels = Map.of(RunLabels.PRODUCT, "true");
            } else if (runId != null) {
                labels = Map.of(RunLabels.RUN, runId);
            } else {
                Set<String> runs = runs(engine);
                if (runs.isEmpty()) {
                    System.out.println("no fl-hetero containers or networks on " + engine.host());
                    return ExitCode.OK;
                }
                if (runs.size() > 1) {
                    throw new BadInputException("several runs have containers (" + String.join(", ", runs)
                            + "); name one, or pass --all");
                }
                labels = Map.of(RunLabels.RUN, runs.iterator().next());
            }
            List<String> removed = new ArrayList<>(ClientContainers.removeAll(engine.client(), labels));
            // Networks last: the engine refuses to remove a network that still has containers.
            removed.addAll(RunNetwork.removeAll(engine.client(), labels));
            if (removed.isEmpty() && runId != null) {
                throw new BadInputException("no containers or networks of run " + runId + " on " + engine.host()
                        + ": it has ended, or never ran on this engine; `fl-hetero status` lists the runs that have some");
            }
            System.out.println(removed.isEmpty() ? "nothing to remove" : "removed " + String.join(", ", removed));
            return ExitCode.OK;
        }
    }

    static Set<String> runs(DockerEngine engine) {
        Set<String> runs = new TreeSet<>();
        for (Container c : ClientContainers.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true"))) {
            runs.add(c.getLabels().get(RunLabels.RUN));
        }
        for (Network n : RunNetwork.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true"))) {
            runs.add(n.getLabels().get(RunLabels.RUN));
        }
        return runs;
    }
}
