package io.flhetero.runtime.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The runs that have containers or networks on an engine, each with the process that owns it, if labelled. */
public final class RunsOnEngine {

    private RunsOnEngine() {
    }

    /** Run id to its owner (empty for objects of versions that did not label one), sorted by run id. */
    public static Map<String, Optional<RunOwner>> owners(DockerEngine engine) {
        Map<String, Optional<RunOwner>> runs = new TreeMap<>();
        for (Container c : ClientContainers.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true"))) {
            add(runs, c.getLabels());
        }
        for (Network n : RunNetwork.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true"))) {
            add(runs, n.getLabels());
        }
        return runs;
    }

    private static void add(Map<String, Optional<RunOwner>> runs, Map<String, String> labels) {
        String run = labels.get(RunLabels.RUN);
        if (run != null) {
            Optional<RunOwner> owner = RunLabels.owner(labels);
            runs.merge(run, owner, (a, b) -> a.isPresent() ? a : b);
        }
    }

    /** The run's owner if it is running still. */
    public static Optional<RunOwner> liveOwner(Map<String, Optional<RunOwner>> runs, String runId) {
        return runs.getOrDefault(runId, Optional.empty()).filter(RunOwner::alive);
    }
}
