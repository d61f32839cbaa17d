package io.flhetero.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import io.flhetero.fl.cluster.ClusterSettings;
import io.flhetero.fl.cluster.LocalAddress;
import io.flhetero.profile.NetworkMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network a run's client containers are attached to, and where the server is on it.
 * <ul>
 *   <li>{@code host}: the host's own network; the server and every client bind to 127.0.0.1.</li>
 *   <li>{@code bridge}: a user-defined bridge network of the run's own, as compose makes, labelled like its
 *       containers so that `stop` finds it after a crash. The server binds to the network's gateway (this
 *       host's address on it); each client to the address the engine gives its container.</li>
 * </ul>
 *
 * @param mode         the containers' network mode: "host" or the run network's name
 * @param serverHost   where clients reach the server
 * @param clientSubnet where the clients' addresses are (CIDR)
 * @param id           the run network's id; null with host networking
 */
public record RunNetwork(String mode, String serverHost, String clientSubnet, String id) {

    public static final RunNetwork HOST = new RunNetwork(NetworkMode.HOST.key(), ClusterSettings.LOOPBACK,
            ClusterSettings.LOOPBACK + "/32", null);

    /** The profile's choice: host networking, or a bridge network created for this run now. */
    public static RunNetwork forRun(NetworkMode network, DockerClient docker, String runId) {
        return network == NetworkMode.BRIDGE ? createBridge(docker, runId) : HOST;
    }

    static RunNetwork createBridge(DockerClient docker, String runId) {
        String name = "fl-hetero-" + runId;
        String id = docker.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
                .withLabels(RunLabels.network(runId)).exec().getId();
        try {
            Network.Ipam.Config config = ipv4(docker.inspectNetworkCmd().withNetworkId(id).exec());
            if (config == null) {
                throw new IllegalStateException("the engine gave the run network " + name + " no IPv4 subnet and "
                        + "gateway; use `network: host` in the profile");
            }
            String gateway = config.getGateway().replaceFirst("/.*$", "");
            if (!local(gateway)) {
                throw new IllegalStateException("the gateway " + gateway + " of the run network " + name + " is not "
                        + "an address of this machine (a remote DOCKER_HOST, Docker Desktop or rootless Docker), so "
                        + "clients on it could not reach the server here; use `network: host` in the profile");
            }
            return new RunNetwork(name, gateway, config.getSubnet(), id);
        } catch (RuntimeException e) {
            docker.removeNetworkCmd(id).exec();
            throw e;
        }
    }

    private static Network.Ipam.Config ipv4(Network network) {
        List<Network.Ipam.Config> configs = network.getIpam() == null ? null : network.getIpam().getConfig();
        return configs == null ? null : configs.stream()
                .filter(c -> c.getGateway() != null && c.getSubnet() != null && !c.getSubnet().contains(":"))
                .findFirst().orElse(null);
    }

    private static boolean local(String address) {
        try {
            LocalAddress.in(address + "/32");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public boolean bridge() {
        return id != null;
    }

    /** A cluster for the run on this network. */
    public ClusterSettings cluster(String runId, int clients) {
        return ClusterSettings.forRun(runId, clients, serverHost, clientSubnet);
    }

    /** Removes the run network; call after its containers are gone. */
    public void remove(DockerClient docker) {
        if (bridge()) {
            try {
                docker.removeNetworkCmd(id).exec();
            } catch (NotFoundException e) {
                // Already gone.
            }
        }
    }

    /** Networks that carry the labels. */
    public static List<Network> withLabels(DockerClient docker, Map<String, String> labels) {
        return docker.listNetworksCmd().withFilter("label", labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()).exec();
    }

    /** Removes every network with the labels; returns their names. */
    public static List<String> removeAll(DockerClient docker, Map<String, String> labels) {
        List<String> removed = new ArrayList<>();
        for (Network n : withLabels(docker, labels)) {
            try {
                docker.removeNetworkCmd(n.getId()).exec();
                removed.add(n.getName());
            } catch (NotFoundException e) {
                // Already gone.
            }
        }
        return removed;
    }
}
