package io.flhetero.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.RunLabels;
import io.flhetero.runtime.docker.RunNetwork;
import io.flhetero.runtime.docker.RunServices;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code status}: the runs that have containers, networks or Swarm services, with each container's limits and live
 * usage and each service's task and node.
 */
@Command(mixinStandardHelpOptions = true, name = "status", description = "List runs with containers, networks or "
        + "Swarm services: each container's state, limits and live CPU and memory use; each service's task and node.")
final class StatusCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        try (DockerEngine engine = DockerEngine.connect()) {
            DockerClient docker = engine.client();
            List<Container> containers = ClientContainers.withLabels(docker, Map.of(RunLabels.PRODUCT, "true"));
            List<Network> networks = RunNetwork.withLabels(docker, Map.of(RunLabels.PRODUCT, "true"));
            List<Service> services = RunServices.withLabels(docker, Map.of(RunLabels.PRODUCT, "true"));
            if (containers.isEmpty() && networks.isEmpty() && services.isEmpty()) {
                System.out.println("no fl-hetero containers, networks or services on " + engine.host());
                return ExitCode.OK;
            }
            for (Network n : networks) {
                System.out.println("run " + n.getLabels().get(RunLabels.RUN) + " has network " + n.getName());
            }
            printServices(docker, services);
            if (containers.isEmpty()) {
                return ExitCode.OK;
            }
            System.out.printf("%-24s %-10s %-10s %-9s %6s %8s %8s %10s%n", "run", "client", "device", "state",
                    "cpus", "memory", "cpu %", "mem MB");
            containers.sort(Comparator.comparing((Container c) -> c.getLabels().get(RunLabels.RUN))
                    .thenComparing(ClientContainers::name));
            for (Container c : containers) {
                InspectContainerResponse inspect = docker.inspectContainerCmd(c.getId()).exec();
                HostConfig limits = inspect.getHostConfig();
                Statistics stats = Boolean.TRUE.equals(inspect.getState().getRunning()) ? sample(docker, c.getId()) : null;
                System.out.printf(Locale.ROOT, "%-24s %-10s %-10s %-9s %6.2f %8s %8s %10s%n",
                        c.getLabels().get(RunLabels.RUN),
                        c.getLabels().getOrDefault(RunLabels.CLIENT, ClientContainers.name(c)),
                        c.getLabels().get(RunLabels.DEVICE_CLASS),
                        c.getState(), limits.getNanoCPUs() == null ? 0 : limits.getNanoCPUs() / 1e9,
                        limits.getMemory() == null ? "-" : (limits.getMemory() >> 20) + "m",
                        stats == null ? "-" : String.format(Locale.ROOT, "%.1f", cpuPercent(stats)),
                        stats == null || stats.getMemoryStats().getUsage() == null ? "-"
                                : Long.toString(stats.getMemoryStats().getUsage() >> 20));
            }
            return ExitCode.OK;
        }
    }

    /** A run's Swarm services, with where and how their task runs: the containers below are this node's only. */
    private static void printServices(DockerClient docker, List<Service> services) {
        if (services.isEmpty()) {
            return;
        }
        Map<String, String> nodes = new HashMap<>();
        docker.listSwarmNodesCmd().exec().forEach(n -> nodes.put(n.getId(), n.getDescription() == null ? n.getId()
                : n.getDescription().getHostname()));
        System.out.printf("%-24s %-10s %-10s %-9s %6s %8s  %s%n", "run", "service", "device", "task", "cpus",
                "memory", "node");
        for (Service service : services) {
            Map<String, String> labels = service.getSpec().getLabels();
            var resources = service.getSpec().getTaskTemplate().getResources();
            var limits = resources == null || resources.getLimits() == null ? new ResourceSpecs() : resources.getLimits();
            // The task meant to run, else the last one.
            Task task = docker.listTasksCmd().withServiceFilter(service.getId()).exec().stream()
                    .max(Comparator.comparing((Task t) -> t.getDesiredState() == TaskState.RUNNING)
                            .thenComparing(t -> t.getCreatedAt() == null ? Instant.EPOCH : Instant.parse(t.getCreatedAt())))
                    .orElse(null);
            System.out.printf(Locale.ROOT, "%-24s %-10s %-10s %-9s %6.2f %8s  %s%n", labels.get(RunLabels.RUN),
                    labels.get(RunLabels.CLIENT), labels.get(RunLabels.DEVICE_CLASS),
                    task == null || task.getStatus() == null ? "none"
                            : task.getStatus().getState().name().toLowerCase(Locale.ROOT),
                    limits.getNanoCPUs() == null ? 0 : limits.getNanoCPUs() / 1e9,
                    limits.getMemoryBytes() == null ? "-" : (limits.getMemoryBytes() >> 20) + "m",
                    task == null || task.getNodeId() == null ? "-" : nodes.getOrDefault(task.getNodeId(), "?"));
        }
    }

    /** One stats reading; the engine takes 1-2 s because it needs two samples for CPU %. */
    private static Statistics sample(DockerClient docker, String id) throws InterruptedException {
        Statistics[] first = new Statistics[1];
        docker.statsCmd(id).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
            @Override
            public void onNext(Statistics s) {
                first[0] = s;
            }
        }).awaitCompletion(5, TimeUnit.SECONDS);
        return first[0];
    }

    private static double cpuPercent(Statistics s) {
        if (s.getCpuStats() == null || s.getPreCpuStats() == null || s.getCpuStats().getCpuUsage() == null
                || s.getPreCpuStats().getCpuUsage() == null || s.getCpuStats().getSystemCpuUsage() == null
                || s.getPreCpuStats().getSystemCpuUsage() == null) {
            return 0;
        }
        double cpu = s.getCpuStats().getCpuUsage().getTotalUsage() - s.getPreCpuStats().getCpuUsage().getTotalUsage();
        double system = s.getCpuStats().getSystemCpuUsage() - s.getPreCpuStats().getSystemCpuUsage();
        long cpus = s.getCpuStats().getOnlineCpus() == null ? 1 : s.getCpuStats().getOnlineCpus();
        return system > 0 ? cpu / system * cpus * 100 : 0;
    }
}
