package io.flhetero.runtime.swarm;

import com.github.dockerjava.api.model.Info;
import io.flhetero.fl.cluster.LocalAddress;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.ProfileWriter;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.DockerSetup;
import io.flhetero.runtime.docker.HostCapacity;
import io.flhetero.runtime.docker.Images;
import io.flhetero.runtime.docker.LimitCheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything checked before a Swarm run starts anything: the engine is a swarm manager, the event bus has an
 * address every node reaches, each device fits a node its placement allows (and the mix fits the swarm), nothing of
 * a dead run is in the way, and the client image is built (and pushed when there is a registry).
 */
public final class SwarmSetup {

    private SwarmSetup() {
    }

    /**
     * @param image the client image (the server's engine has it; the nodes get it through it)
     * @param host  where the server listens: an address of this machine that every node reaches (each client binds
     *              to its own address on the route there)
     */
    public record Prepared(DockerEngine engine, List<ClientSpec> clients, String image, String host) {
    }

    /**
     * @param registry      a registry every node pulls from (host:port), or null
     * @param advertiseAddr the server's address for the clients, or null for the address this node joined with
     */
    public static Prepared prepare(String runId, List<ClientSpec> clients, String baseImage, boolean fitToHost,
                                   Path jar, String registry, String advertiseAddr, Consumer<String> notice) {
        Path jarFile = jar != null ? jar : DockerSetup.runningJar();
        DockerEngine engine = DockerEngine.connect();
        try {
            Info info = engine.client().infoCmd().exec();
            var swarm = info.getSwarm();
            if (swarm == null || !Boolean.TRUE.equals(swarm.getControlAvailable())) {
                throw new DockerSetup.SetupException("the Docker engine at " + engine.host() + " is not a swarm "
                        + "manager (swarm: " + (swarm == null || swarm.getLocalNodeState() == null ? "inactive"
                        : swarm.getLocalNodeState().name().toLowerCase(Locale.ROOT)) + "); run `docker swarm init "
                        + "--advertise-addr ADDRESS` (127.0.0.1 for one machine), point DOCKER_HOST at a manager, "
                        + "or use --runtime docker");
            }
            List<SwarmNode> nodes = engine.client().listSwarmNodesCmd().exec().stream().map(SwarmNode::of)
                    .filter(SwarmNode::ready).toList();
            requireServiceNames(runId, clients);
            String host = advertiseAddr != null ? advertiseAddr : swarm.getNodeAddr();
            requireOwnAddress(host, advertiseAddr != null);
            if (nodes.size() > 1 && host.startsWith("127.")) {
                throw new DockerSetup.SetupException("the swarm has " + nodes.size() + " nodes but the server would "
                        + "listen on " + host + ", which clients on other nodes cannot reach; give --advertise-addr "
                        + "with this machine's address in the swarm's network");
            }
            HostCapacity total = new HostCapacity((int) Math.floor(nodes.stream().mapToDouble(SwarmNode::cpus).sum()
                    + 1e-9), nodes.stream().mapToLong(SwarmNode::memoryBytes).sum());
            LimitCheck.Result limits = LimitCheck.check(clients, total, fitToHost, true);
            limits.warnings().forEach(w -> notice.accept("warning: " + w));
            requirePlaceable(limits.clients(), nodes);
            requirePackable(limits.clients(), nodes).ifPresent(w -> notice.accept("warning: " + w));
            DockerSetup.clearTheWay(engine, runId, notice);
            Images.ensure(engine, baseImage, notice);
            if (registry == null && nodes.size() > 1) {
                notice.accept("warning: no --registry: the swarm's other nodes must have the client image already "
                        + "(`docker save` here, `docker load` there), or their tasks are rejected");
            }
            String image = ClientImage.ensure(engine, baseImage, jarFile, registry, notice);
            return new Prepared(engine, limits.clients(), image, host);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The server binds to the address it advertises: it must be this machine's. */
    private static void requireOwnAddress(String host, boolean given) {
        try {
            LocalAddress.in(host + "/32");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DockerSetup.SetupException((given ? "--advertise-addr " + host
                    : "the swarm address of this node, " + host + ",") + " is not an address of this machine: give "
                    + "--advertise-addr with one of its addresses that the swarm's nodes reach");
        }
    }

    /**
     * Swarm names its objects as DNS labels: a service name (fl-hetero-CLIENT-RUN_ID) of at most 63 characters,
     * ending in a letter or digit.
     */
    private static void requireServiceNames(String runId, List<ClientSpec> clients) {
        String longest = clients.stream().map(c -> ClientContainers.containerName(runId, c.id()))
                .max(Comparator.comparingInt(String::length)).orElse("");
        if (longest.length() > 63 || !Character.isLetterOrDigit(runId.charAt(runId.length() - 1))) {
            throw new DockerSetup.SetupException("run id " + runId + " makes Swarm service names such as " + longest
                    + " that Swarm refuses (at most 63 characters, ending in a letter or digit); give a shorter "
                    + "--run-id that ends in a letter or digit");
        }
    }

    /**
     * The clients' limits are also their reservations (so that Swarm places each where its limits fit): the mix must
     * pack into the nodes. Tried by first fit, the clients with the fewest nodes to go to first, then the largest.
     * Refused when it certainly cannot pack (one node, or more demand than the nodes have); otherwise a mix the
     * heuristic cannot pack may still pack, and gets a warning: a task Swarm cannot place stays pending, which the
     * run reports. Reservations of other services on the nodes are not counted.
     *
     * @return a warning, if any
     */
    static Optional<String> requirePackable(List<ClientSpec> clients, List<SwarmNode> nodes) {
        double[] cpus = nodes.stream().mapToDouble(SwarmNode::cpus).toArray();
        long[] memory = nodes.stream().mapToLong(SwarmNode::memoryBytes).toArray();
        List<String> unplaced = new ArrayList<>();
        Comparator<ClientSpec> order = Comparator.comparingLong((ClientSpec c) -> nodes.stream()
                        .filter(n -> n.satisfies(c.device().placement())).count())
                .thenComparing(Comparator.comparingDouble((ClientSpec c) -> c.device().cpus()).reversed());
        for (ClientSpec c : clients.stream().sorted(order).toList()) {
            DeviceClass d = c.device();
            int fit = -1;
            for (int i = 0; i < nodes.size() && fit < 0; i++) {
                if (nodes.get(i).satisfies(d.placement()) && cpus[i] + 1e-9 >= d.cpus()
                        && memory[i] >= d.memory().bytes()) {
                    fit = i;
                }
            }
            if (fit < 0) {
                unplaced.add(c.id());
            } else {
                cpus[fit] -= d.cpus();
                memory[fit] -= d.memory().bytes();
            }
        }
        if (unplaced.isEmpty()) {
            return Optional.empty();
        }
        String why = "Swarm reserves each client's CPUs and memory on its node, and no node is left for "
                + String.join(", ", unplaced) + " (nodes: " + nodes.stream().map(SwarmNode::describe).toList() + ")";
        boolean certain = nodes.size() == 1
                || clients.stream().mapToDouble(c -> c.device().cpus()).sum()
                > nodes.stream().mapToDouble(SwarmNode::cpus).sum() + 1e-9
                || clients.stream().mapToLong(c -> c.device().memory().bytes()).sum()
                > nodes.stream().mapToLong(SwarmNode::memoryBytes).sum();
        if (certain) {
            throw new LimitCheck.LimitException("the clients' limits do not fit the swarm's nodes together: " + why
                    + ". Lower them (--fit-to-host scales them down), or add nodes.");
        }
        return Optional.of("the clients' limits may not fit the swarm's nodes together (" + why + " by first fit); "
                + "a client Swarm cannot place stays pending and is reported at the start-up timeout");
    }

    /** Each client needs a ready node that its placement allows and whose resources its limits fit. */
    static void requirePlaceable(List<ClientSpec> clients, List<SwarmNode> nodes) {
        List<String> errors = new ArrayList<>();
        for (ClientSpec c : clients) {
            DeviceClass d = c.device();
            List<SwarmNode> allowed = nodes.stream().filter(n -> n.satisfies(d.placement())).toList();
            if (allowed.isEmpty()) {
                errors.add(c.id() + " (" + d.name() + "): no ready node satisfies placement " + d.placement()
                        + "; the nodes are " + nodes.stream().map(SwarmNode::describe).toList()
                        + " (`docker node update --label-add KEY=VALUE NODE` labels one)");
            } else if (allowed.stream().noneMatch(n -> n.cpus() + 1e-9 >= d.cpus()
                    && n.memoryBytes() >= d.memory().bytes())) {
                errors.add(c.id() + " (" + d.name() + "): cpus " + ProfileWriter.number(d.cpus()) + " and memory "
                        + d.memory() + " fit none of the nodes it may run on: "
                        + allowed.stream().map(SwarmNode::describe).toList());
            }
        }
        if (!errors.isEmpty()) {
            throw new LimitCheck.LimitException("the profile's devices cannot be placed on this swarm:\n  "
                    + String.join("\n  ", errors) + "\nFix the profile's devices or placement, label the nodes, or "
                    + "pass --fit-to-host to scale the limits down.");
        }
    }
}
