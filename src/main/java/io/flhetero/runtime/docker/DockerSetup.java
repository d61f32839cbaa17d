package io.flhetero.runtime.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.flhetero.profile.ClientSpec;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    public static Prepared prepare(List<ClientSpec> clients, String image, boolean fitToHost, Path jar,
                                   Consumer<String> notice) {
        Path jarFile = jar != null ? jar : runningJar();
        DockerEngine engine = DockerEngine.connect();
        try {
            LimitCheck.Result limits = LimitCheck.check(clients, engine.capacity(), fitToHost);
            limits.warnings().forEach(w -> notice.accept("warning: " + w));
            List<Container> leftovers = DockerClientRuntime.leftovers(engine);
            if (!leftovers.isEmpty()) {
                throw new SetupException(inTheWay(engine, leftovers));
            }
            List<String> networks = RunNetwork.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true")).stream()
                    .map(Network::getName).toList();
            if (!networks.isEmpty()) {
                // They hold address ranges but are in nobody's way.
                notice.accept("warning: networks of earlier runs are still there (" + String.join(", ", networks)
                        + "); `fl-hetero stop --all` removes them");
            }
            Images.ensure(engine, image, notice);
            return new Prepared(engine, limits.clients(), jarFile);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Why client containers already there stop a new run (clients are named client1..N, as in the original): a live
     * run's are waited for or stopped by their owner, a dead run's are removed with `stop`.
     */
    private static String inTheWay(DockerEngine engine, List<Container> leftovers) {
        Map<String, Optional<RunOwner>> owners = RunsOnEngine.owners(engine);
        Set<String> runs = leftovers.stream().map(c -> c.getLabels().get(RunLabels.RUN))
                .collect(Collectors.toCollection(TreeSet::new));
        String names = leftovers.stream().map(ClientContainers::name).collect(Collectors.joining(", "));
        List<String> reasons = new ArrayList<>();
        for (String run : runs) {
            Optional<RunOwner> live = RunsOnEngine.liveOwner(owners, run);
            reasons.add(live.map(o -> "run " + run + " is live (its orchestrator, " + o.describe() + ", is running): "
                    + "wait for it to end, or stop it first")
                    .orElse("run " + run + " ended without removing them: `fl-hetero stop " + run + "` removes them"));
        }
        return "containers of another run are in the way (" + names + "); "
                + String.join("; ", reasons);
    }

    /** The JAR this process runs from; client containers mount it. */
    static Path runningJar() {
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
