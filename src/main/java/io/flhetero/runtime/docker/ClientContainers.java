package io.flhetero.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.flhetero.jvm.ClassDataArchive;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates, inspects and removes the client containers of a run. Each runs the same JAR (mounted read-only)
 * with the {@code client} command, under the device's real limits: NanoCPUs and Memory from the profile and
 * MemorySwap = Memory (otherwise Docker allows as much again in swap). They join the run's network: the host's
 * (the event bus on 127.0.0.1) or a bridge of the run's own.
 */
public final class ClientContainers {

    private final DockerClient docker;
    private final String image;
    private final Path jar;
    private final Path runDir;
    private final Path nativeCache;
    private final RunNetwork network;
    private final ClassDataArchive classes;

    /**
     * @param nativeCache a folder on this machine that every client container shares: javacpp unpacks ND4J's
     *                    natives there once, and the client JVMs keep their class-data archive there
     */
    public ClientContainers(DockerClient docker, String image, Path jar, Path runDir, Path nativeCache,
                            RunNetwork network) {
        this.docker = docker;
        this.network = network;
        this.image = image;
        this.jar = jar;
        this.runDir = runDir;
        this.nativeCache = nativeCache;
        this.classes = classArchive(docker, image, jar, nativeCache);
    }

    /** The class-data archive that client JVMs of this image and JAR map, or the first of them writes. */
    public static ClassDataArchive classArchive(DockerClient docker, String image, Path jar, Path nativeCache) {
        // Per image: an archive maps only into the JVM build that wrote it.
        String imageId = docker.inspectImageCmd(image).exec().getId().replaceFirst("^sha256:", "");
        return ClassDataArchive.forJar(jar, "client-" + imageId.substring(0, Math.min(12, imageId.length())),
                nativeCache, JvmSizing.JAVACPP_CACHE);
    }

    public static HostConfig limits(DeviceClass device) {
        long memory = device.memory().bytes();
        return HostConfig.newHostConfig()
                .withNanoCPUs(Math.round(device.cpus() * 1e9))
                .withMemory(memory)
                .withMemorySwap(memory);
    }

    /** Whether this run's first client writes the class-data archive as it exits, which takes a while. */
    public boolean writesClassArchive() {
        return !classes.present();
    }

    /** Keeps the archive the first client wrote if it ended well (exit 0), else drops its draft. */
    public void settleClassArchive(String writerContainerId) {
        try {
            var state = inspect(writerContainerId).getState();
            if (!Boolean.TRUE.equals(state.getRunning()) && Long.valueOf(0).equals(state.getExitCodeLong())) {
                classes.keep();
                return;
            }
        } catch (RuntimeException e) {
            // Gone: nothing says it ended well.
        }
        classes.discard();
    }

    /** Creates and starts one client's container; returns its id. */
    public String start(String runId, ClientSpec client) {
        String id = create(runId, client);
        docker.startContainerCmd(id).exec();
        return id;
    }

    /** Creates one client's container, not started yet; returns its id. */
    String create(String runId, ClientSpec client) {
        DeviceClass d = client.device();
        JvmSizing sizing = JvmSizing.of(d);
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(jar.toAbsolutePath().toString(), new Volume(ClientLaunch.JAR), AccessMode.ro));
        binds.add(new Bind(runDir.toAbsolutePath().toString(), new Volume(ClientLaunch.RUN_DIR), AccessMode.ro));
        binds.add(new Bind(nativeCache.toAbsolutePath().toString(), new Volume(JvmSizing.JAVACPP_CACHE), AccessMode.rw));
        List<String> command = new ArrayList<>();
        command.add("java");
        command.addAll(sizing.jvmOptions());
        command.addAll(classes.jvmOptions(client.index() == 0));
        command.addAll(List.of("-jar", ClientLaunch.JAR, "client",
                "--launch", ClientLaunch.RUN_DIR + "/" + ClientLaunch.FILE,
                "--profile", ClientLaunch.RUN_DIR + "/profile.yaml",
                "--client-id", client.id(),
                "--cpus", Double.toString(d.cpus()),
                "--memory", d.memory().toString()));
        return docker.createContainerCmd(image)
                .withName(containerName(runId, client.id()))
                .withLabels(RunLabels.client(runId, client.id(), d.name()))
                .withEnv(sizing.environment())
                .withCmd(command)
                .withHostConfig(limits(d).withNetworkMode(network.mode()).withBinds(binds))
                .exec().getId();
    }

    /**
     * A client container's name: the client's id (client1 ... as in the original) and the run's, so that several
     * runs can share an engine.
     */
    public static String containerName(String runId, String clientId) {
        return "fl-hetero-" + clientId + "-" + runId;
    }

    /** Containers that carry the labels, running or not. */
    public static List<Container> withLabels(DockerClient docker, Map<String, String> labels) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    }

    /** Force-removes every container with the labels; returns their names. */
    public static List<String> removeAll(DockerClient docker, Map<String, String> labels) {
        List<String> removed = new ArrayList<>();
        for (Container c : withLabels(docker, labels)) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add(name(c));
            } catch (NotFoundException | ConflictException e) {
                // Already gone, or being removed (a Swarm task's, by Swarm).
            }
        }
        return removed;
    }

    public static String name(Container c) {
        return c.getNames() == null || c.getNames().length == 0 ? c.getId().substring(0, 12)
                : c.getNames()[0].replaceFirst("^/", "");
    }

    /** The last lines a container printed, for a client that never registered or died. */
    public String tail(String containerId, int lines) {
        return tail(docker, containerId, lines);
    }

    /** The last lines any container printed. */
    public static String tail(DockerClient docker, String containerId, int lines) {
        return LogTail.of(callback -> docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                .withTail(lines).exec(callback));
    }

    public InspectContainerResponse inspect(String containerId) {
        return docker.inspectContainerCmd(containerId).exec();
    }
}
