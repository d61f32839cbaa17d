package io.flhetero.runtime.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.SecretSpec;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.ClientLaunch;
import io.flhetero.runtime.docker.JvmSizing;
import io.flhetero.runtime.docker.RunLabels;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Creates and changes the client services of a run: one replica each, the client's limits as the task's resource
 * limits (NanoCPUs and MemoryBytes, which Swarm applies as the container's) and reservations, no restart by Swarm
 * (the run decides what an OOM kill means), host networking, the run's labels on the service and its containers. The launch file
 * reaches each task as a Swarm secret; the profile and the data share come over the event bus.
 */
final class ClientServices {

    /** Where the launch secret is mounted: {@code /run/secrets/} is the only place Swarm mounts secrets. */
    static final String LAUNCH_FILE = "/run/secrets/" + ClientLaunch.FILE;
    /** ND4J's natives are unpacked once per node into a volume of this name. */
    static final String NATIVE_VOLUME = "fl-hetero-javacpp";

    private final DockerClient docker;
    private final String image;
    private final String hostNetworkId;
    private String secretId;
    private String secretName;

    ClientServices(DockerClient docker, String image) {
        this.docker = docker;
        this.image = image;
        this.hostNetworkId = docker.listNetworksCmd().withNameFilter("host").exec().stream()
                .filter(n -> "host".equals(n.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the engine has no host network")).getId();
    }

    /** Stores the launch file as the run's secret, readable by the run's tasks only. */
    void storeLaunch(String runId, ClientLaunch launch) {
        secretName = "fl-hetero-" + runId + "-launch";
        secretId = docker.createSecretCmd(new SecretSpec().withName(secretName)
                .withData(new String(launch.json(), StandardCharsets.UTF_8)) // docker-java encodes it
                .withLabels(RunLabels.launch(runId))).exec().getId();
    }

    /** Creates the client's service; its one task starts as soon as Swarm places it. Returns the service id. */
    String create(String runId, ClientSpec client) {
        return docker.createServiceCmd(spec(runId, client, 0, 1)).exec().getId();
    }

    private ServiceSpec spec(String runId, ClientSpec client, int forceUpdate, int replicas) {
        DeviceClass d = client.device();
        JvmSizing sizing = JvmSizing.of(d);
        List<String> command = new ArrayList<>();
        command.add("java");
        command.addAll(sizing.jvmOptions());
        command.addAll(List.of("-jar", ClientLaunch.JAR, "client", "--from-server",
                "--launch", LAUNCH_FILE,
                "--client-id", client.id(),
                "--cpus", Double.toString(d.cpus()),
                "--memory", d.memory().toString()));
        Map<String, String> labels = RunLabels.client(runId, client.id(), d.name());
        ContainerSpec container = new ContainerSpec().withImage(image).withCommand(command).withEnv(sizing.environment())
                .withLabels(labels)
                .withSecrets(List.of(new ContainerSpecSecret().withSecretId(secretId).withSecretName(secretName)
                        .withFile(new ContainerSpecFile().withName(ClientLaunch.FILE).withUid("0").withGid("0")
                                .withMode(0400L))))
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(NATIVE_VOLUME)
                        .withTarget(JvmSizing.JAVACPP_CACHE)));
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                // Reserved as well as limited: Swarm places tasks by their reservations only.
                .withResources(new ResourceRequirements().withLimits(resources(d)).withReservations(resources(d)))
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE))
                .withPlacement(new ServicePlacement().withConstraints(d.placement()))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(hostNetworkId)))
                .withForceUpdate(forceUpdate);
        return new ServiceSpec().withName(ClientContainers.containerName(runId, client.id())).withLabels(labels)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)))
                .withTaskTemplate(task);
    }

    private static ResourceSpecs resources(DeviceClass d) {
        return new ResourceSpecs().withNanoCPUs(Math.round(d.cpus() * 1e9)).withMemoryBytes(d.memory().bytes());
    }

    /**
     * Replaces the service's task with a fresh one ({@code replicas} 1) or stops it (0): Swarm's way to start a
     * process again is a new task, forced by a changed spec.
     */
    void update(String serviceId, String runId, ClientSpec client, int replicas) {
        Service current = docker.inspectServiceCmd(serviceId).exec();
        Integer force = current.getSpec().getTaskTemplate().getForceUpdate();
        docker.updateServiceCmd(serviceId, spec(runId, client, (force == null ? 0 : force) + 1, replicas))
                .withVersion(current.getVersion().getIndex()).exec();
    }
}
