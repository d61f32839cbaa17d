package io.flhetero.runtime.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.flhetero.profile.ClientSpec;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Everything checked before a Docker run starts anything: the engine answers, the limits fit its host, no
 * containers of an earlier run are in the way, the client image is there, and there is a JAR to run.
 */
public final class DockerSetup {

    private DockerSetup() {
    }

    public record Prepared(DockerEngine engine, List<ClientSpec> clients, Path jar) {
    }

    /**
     * Connects to the engine, checks the device mix against the host, clears what a dead run of the same id left
     * (a resumed run's own containers and network) and makes sure the client image is there.
     *
     * @throws SetupException when a dead run's leftovers are in the way
     */
    public static Prepared prepare(String runId, List<ClientSpec> clients, String image, boolean fitToHost, Path jar,
                                   Consumer<String> notice) {
        Path jarFile = jar != null ? jar : runningJar();
        DockerEngine engine = DockerEngine.connect();
        try {
            LimitCheck.Result limits = LimitCheck.check(clients, engine.capacity(), fitToHost);
            limits.warnings().forEach(w -> notice.accept("warning: " + w));
            clearTheWay(engine, runId, notice);
            Images.ensure(engine, image, notice);
            return new Prepared(engine, limits.clients(), jarFile);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Removes what a dead run of the same id left (a resumed run's own containers, services and network), warns of
     * live runs sharing the engine, and refuses to start while a dead run's clients hold their share of the host.
     *
     * @throws SetupException when a dead run's leftovers are in the way
     */
    public static void clearTheWay(DockerEngine engine, String runId, Consumer<String> notice) {
        Map<String, Optional<RunOwner>> owners = RunsOnEngine.owners(engine);
        removeOwnLeftovers(engine, runId, owners, notice);
        List<String> live = owners.keySet().stream().filter(r -> !r.equals(runId))
                .filter(r -> RunsOnEngine.liveOwner(owners, r).isPresent()).toList();
        if (!live.isEmpty()) {
            notice.accept("warning: run" + (live.size() == 1 ? " " : "s ") + String.join(", ", live) + " "
                    + (live.size() == 1 ? "is" : "are") + " live on this engine too: the devices of both share "
                    + "this host's CPUs and memory, so their times are not those of the devices alone");
        }
        List<Container> dead = DockerClientRuntime.leftovers(engine).stream()
                .filter(c -> RunsOnEngine.liveOwner(owners, c.getLabels().get(RunLabels.RUN)).isEmpty()).toList();
        if (!dead.isEmpty()) {
            throw new SetupException(inTheWay(dead));
        }
        Set<String> deadServices = RunServices.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true")).stream()
                .map(s -> s.getSpec().getLabels().get(RunLabels.RUN))
                .filter(r -> r != null && RunsOnEngine.liveOwner(owners, r).isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        if (!deadServices.isEmpty()) {
            throw new SetupException("the Swarm services of a run that ended without removing them are in the way: "
                    + "`fl-hetero stop " + String.join("` and `fl-hetero stop ", deadServices) + "` remove"
                    + (deadServices.size() == 1 ? "s them" : " them"));
        }
        List<String> networks = RunNetwork.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true")).stream()
                .filter(n -> RunsOnEngine.liveOwner(owners, n.getLabels().get(RunLabels.RUN)).isEmpty())
                .map(Network::getName).toList();
        if (!networks.isEmpty()) {
            // They hold address ranges but are in nobody's way.
            notice.accept("warning: networks of earlier runs are still there (" + String.join(", ", networks)
                    + "); `fl-hetero stop RUN_ID` removes a run's");
        }
    }

    /** A resumed run's own containers and network, left when it was killed, are removed; a live one is refused. */
    private static void removeOwnLeftovers(DockerEngine engine, String runId, Map<String, Optional<RunOwner>> owners,
                                           Consumer<String> notice) {
        if (!owners.containsKey(runId)) {
            return;
        }
        RunsOnEngine.liveOwner(owners, runId).ifPresent(o -> {
            throw new SetupException("run " + runId + " is live (its orchestrator, " + o.describe() + ", is "
                    + "running): wait for it to end, or stop it first");
        });
        List<String> removed = RunsOnEngine.removeRun(engine, runId);
        notice.accept("removed what the stopped run " + runId + " left behind: " + String.join(", ", removed));
    }

    /** Why a dead run's client containers stop a new run: they hold their limits' share of the host. */
    private static String inTheWay(List<Container> leftovers) {
        Set<String> runs = leftovers.stream().map(c -> c.getLabels().get(RunLabels.RUN))
                .collect(Collectors.toCollection(TreeSet::new));
        String names = leftovers.stream().map(ClientContainers::name).collect(Collectors.joining(", "));
        return "containers of a run that ended without removing them are in the way (" + names + "): `fl-hetero "
                + "stop " + String.join("` and `fl-hetero stop ", runs) + "` remove"
                + (runs.size() == 1 ? "s them" : " them") + " (or `run --resume " + runs.iterator().next()
                + "` continues that run)";
    }

    /** The JAR this process runs from; client containers mount it. */
    public static Path runningJar() {
        try {
            Path location = Path.of(DockerSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && location.toString().endsWith(".jar")) {
                return location;
            }
        } catch (URISyntaxException | SecurityException e) {
            // Fall through to the message below.
        }
        throw new SetupException("the Docker runtime runs clients from the fl-hetero JAR, but this process runs "
                + "from classes; build it (mvn package) and start target/fl-hetero.jar");
    }

    /** Something in the way that the user must clear first: exit code 2. */
    public static final class SetupException extends RuntimeException {
        public SetupException(String message) {
            super(message);
        }
    }
}
