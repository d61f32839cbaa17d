package io.flhetero.runtime.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;

import io.flhetero.jvm.StopTimes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The runs that have containers, networks or Swarm services on an engine, each with the process that owns it, if labelled. */
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
        for (var s : RunServices.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true"))) {
            add(runs, s.getSpec().getLabels());
        }
        for (var s : RunServices.secretsWithLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true"))) {
            add(runs, s.getSpec().getLabels()); // a launch secret left by a run killed before its services
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

    /**
     * Removes everything of the run, found by label: its Swarm services and secret, its containers, then its network
     * (the engine refuses to remove a network that still has containers). Returns what was removed.
     */
    public static List<String> removeRun(DockerEngine engine, String runId) {
        Map<String, String> labels = Map.of(RunLabels.RUN, runId);
        List<String> removed = new ArrayList<>(RunServices.removeAll(engine.client(), labels));
        if (!removed.isEmpty()) {
            awaitTasksGone(engine, labels); // else a removal of ours races Swarm's
        }
        removed.addAll(ClientContainers.removeAll(engine.client(), labels));
        removed.addAll(RunNetwork.removeAll(engine.client(), labels));
        return removed;
    }

    /** Swarm removes a removed service's containers by itself, a moment later. */
    private static void awaitTasksGone(DockerEngine engine, Map<String, String> labels) {
        long deadline = System.nanoTime() + StopTimes.CLIENT_EXIT.toNanos();
        try {
            while (System.nanoTime() < deadline && ClientContainers.withLabels(engine.client(), labels).stream()
                    .anyMatch(c -> c.getLabels().containsKey(SWARM_TASK))) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The label Swarm puts on its tasks' containers. */
    private static final String SWARM_TASK = "com.docker.swarm.task.id";

    /** The run's owner if it is running still. */
    public static Optional<RunOwner> liveOwner(Map<String, Optional<RunOwner>> runs, String runId) {
        return runs.getOrDefault(runId, Optional.empty()).filter(RunOwner::alive);
    }
}
