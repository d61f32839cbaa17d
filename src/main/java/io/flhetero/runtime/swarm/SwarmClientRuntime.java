package io.flhetero.runtime.swarm;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.jvm.StopTimes;
import io.flhetero.monitor.ContainerMetrics;
import io.flhetero.profile.ClientSpec;
import io.flhetero.runtime.ClientLostListener;
import io.flhetero.runtime.ClientRuntime;
import io.flhetero.runtime.docker.ClientLaunch;
import io.flhetero.runtime.docker.ContainerStats;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.LogTail;
import io.flhetero.runtime.docker.RunsOnEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Clients as Docker Swarm services, one replica each, with their device's limits as the tasks' resource limits and
 * reservations, on whichever nodes their placement allows. Swarm does not restart them: the run watches the tasks (every second,
 * through the manager, so that it sees every node) and reports a task that ends on its own as a lost client, as an
 * OOM kill when its container was killed for memory. An OOM restart or a device back online is a new task of the
 * same service; a device offline scales its service to none. Closing removes the services and the launch secret.
 */
public final class SwarmClientRuntime implements ClientRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmClientRuntime.class);
    private static final Set<TaskState> ENDED = EnumSet.of(TaskState.COMPLETE, TaskState.SHUTDOWN, TaskState.FAILED,
            TaskState.REJECTED, TaskState.ORPHANED, TaskState.REMOVE);
    /** The exit code of a SIGKILLed process: the kernel's OOM killer, unless someone killed it. */
    private static final long SIGKILLED = 137;
    /** Polls that fail in a row before the manager counts as gone. */
    private static final int POLLS_BEFORE_GONE = 5;

    private final DockerEngine engine;
    private final ClientServices services;
    private final ClientLaunch launch;
    private final ContainerStats stats;
    private final Map<String, String> serviceIds = new ConcurrentHashMap<>();
    private final Map<String, ClientSpec> specs = new ConcurrentHashMap<>();
    /** Tasks whose end was reported, or asked for (replaced, scaled down): not lost when they end. */
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private final Set<String> away = ConcurrentHashMap.newKeySet();
    private final Map<String, Task> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "swarm-tasks");
        t.setDaemon(true);
        return t;
    });
    private String runId;
    private ClientLostListener lost;
    private int failedPolls;
    private boolean gone;
    private volatile boolean closing;

    public SwarmClientRuntime(DockerEngine engine, String image, ClientLaunch launch, ContainerMetrics metrics) {
        this.engine = engine;
        this.services = new ClientServices(engine.client(), image);
        this.launch = launch;
        this.stats = new ContainerStats(metrics);
    }

    @Override
    public synchronized void start(String runId, List<ClientSpec> clients, ClientLostListener lost) {
        this.runId = runId;
        this.lost = lost;
        services.storeLaunch(runId, launch);
        for (ClientSpec client : clients) {
            specs.put(client.id(), client);
            serviceIds.put(client.id(), services.create(runId, client));
            LOG.debug("created service {} (cpus {}, memory {})", client.id(), client.device().cpus(),
                    client.device().memory());
        }
        watch.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    /** One look at every task of the run's services; nothing it meets may end the watch. */
    private void poll() {
        try {
            look();
        } catch (RuntimeException | Error e) {
            LOG.warn("watching the run's tasks: {}", e.toString());
        }
    }

    private void look() {
        if (closing || gone) {
            return;
        }
        List<Task> tasks;
        try {
            tasks = engine.client().listTasksCmd().withServiceFilter(serviceIds.values().toArray(String[]::new)).exec();
            failedPolls = 0;
        } catch (RuntimeException e) {
            if (++failedPolls == POLLS_BEFORE_GONE) {
                managerGone(DockerEngine.rootMessage(e));
            }
            return;
        }
        Map<String, String> clientOf = new HashMap<>();
        serviceIds.forEach((client, service) -> clientOf.put(service, client));
        tasks.sort(Comparator.comparing(SwarmClientRuntime::created));
        for (Task task : tasks) {
            String clientId = clientOf.get(task.getServiceId());
            if (clientId == null || task.getStatus() == null) {
                continue;
            }
            latest.put(clientId, task);
            TaskState state = task.getStatus().getState();
            if (state == TaskState.RUNNING) {
                follow(clientId, task);
            } else if (ENDED.contains(state) && settled.add(task.getId())) {
                ended(clientId, task);
            }
        }
    }

    private static Instant created(Task task) {
        try {
            return Instant.parse(task.getCreatedAt());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** A task that ended without being asked to: its client is lost, for memory or otherwise. */
    private void ended(String clientId, Task task) {
        var container = task.getStatus().getContainerStatus();
        long exit = container == null || container.getExitCodeLong() == null ? -1 : container.getExitCodeLong();
        // Only a task that failed on its own: one shut down by a drain or an update was stopped, not killed.
        boolean oom = task.getStatus().getState() == TaskState.FAILED && exit == SIGKILLED
                && oomKilled(container.getContainerID());
        String why = oom ? "task OOM-killed by the kernel (exit 137): its memory limit is too small for its batch "
                + "size; lower batch_size or raise memory"
                : "task " + task.getStatus().getState().name().toLowerCase(Locale.ROOT)
                + (exit >= 0 ? " with exit " + exit : "")
                + (task.getStatus().getErr() == null ? "" : " (" + task.getStatus().getErr() + ")");
        if (closing) {
            return;
        }
        if (exit != 0 || oom) {
            LOG.warn("{}: {}", clientId, why);
        }
        lost.clientLost(clientId, oom ? FailureReason.OOM : FailureReason.DIED, why);
    }

    /**
     * Whether the kernel killed the container for memory. Its state says so on the node that ran it; a task on
     * another node only has its exit code, and a SIGKILL nobody asked for is the OOM killer's.
     */
    private boolean oomKilled(String containerId) {
        if (containerId == null) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(engine.client().inspectContainerCmd(containerId).exec().getState().getOOMKilled());
        } catch (NotFoundException e) {
            return true; // on another node
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Streams the container's stats, when it runs on this node (the engine only sees its own). */
    private void follow(String clientId, Task task) {
        var container = task.getStatus().getContainerStatus();
        if (container == null || container.getContainerID() == null || !followed.add(task.getId())) {
            return;
        }
        try {
            engine.client().inspectContainerCmd(container.getContainerID()).exec();
            stats.follow(engine.client(), container.getContainerID(), clientId, specs.get(clientId).device());
        } catch (RuntimeException e) {
            LOG.debug("{} runs on another node: no container series for it", clientId);
        }
    }

    /** Once: the run ends with its clients lost, and the watch stops. */
    private void managerGone(String why) {
        gone = true;
        if (closing) {
            return;
        }
        LOG.warn("the swarm manager does not answer ({}): the run's clients count as lost", why);
        for (String clientId : List.copyOf(serviceIds.keySet())) {
            lost.clientUnseen(clientId, FailureReason.DIED, "the swarm manager stopped answering (" + why + "); once "
                    + "it is back, `fl-hetero stop " + runId + "` removes what is left");
        }
    }

    /** Replaces the client's task (its current one has ended) with a fresh one: same limits, a new JVM. */
    @Override
    public boolean restart(String clientId) {
        return replace(clientId, 1);
    }

    /** Scales the client's service to no task while its device is offline. */
    @Override
    public boolean suspend(String clientId) {
        if (!specs.containsKey(clientId) || closing || !away.add(clientId)) {
            return false;
        }
        if (!replace(clientId, 0)) {
            away.remove(clientId);
            return false;
        }
        return true;
    }

    @Override
    public boolean resume(String clientId) {
        return away.remove(clientId) && replace(clientId, 1);
    }

    /** Starts a fresh task of the client's service (replicas 1) or stops it (0). */
    private synchronized boolean replace(String clientId, int replicas) {
        String serviceId = serviceIds.get(clientId);
        if (serviceId == null || closing) {
            return false;
        }
        // Swarm writes the service while it rolls an update out: an update on an older version is refused, and
        // asked again on the new one.
        for (int attempt = 1; ; attempt++) {
            try {
                // Tasks still running end on purpose now; one that ended already is the watch's to report.
                engine.client().listTasksCmd().withServiceFilter(serviceId).exec().stream()
                        .filter(t -> t.getStatus() == null || !ENDED.contains(t.getStatus().getState()))
                        .forEach(t -> settled.add(t.getId()));
                services.update(serviceId, runId, specs.get(clientId), replicas);
                return true;
            } catch (RuntimeException e) {
                if (attempt < UPDATE_ATTEMPTS && DockerEngine.rootMessage(e).contains("out of sequence")) {
                    sleep(200);
                    continue;
                }
                LOG.warn("could not {} {}: {}", replicas == 0 ? "stop" : "restart", clientId,
                        DockerEngine.rootMessage(e));
                return false;
            }
        }
    }

    private static final int UPDATE_ATTEMPTS = 5;

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String diagnose(String clientId) {
        String serviceId = serviceIds.get(clientId);
        if (serviceId == null) {
            return "no service was created";
        }
        Task task = latest.get(clientId);
        String state = task == null ? "no task yet" : "task " + task.getStatus().getState().name()
                .toLowerCase(Locale.ROOT) + (task.getStatus().getErr() == null ? ""
                : " (" + task.getStatus().getErr() + ")") + (task.getStatus().getMessage() == null ? ""
                : ": " + task.getStatus().getMessage());
        return state + "; its last lines:\n" + tail(serviceId, 20);
    }

    private String tail(String serviceId, int lines) {
        return LogTail.of(callback -> engine.client().logServiceCmd(serviceId).withStdout(true).withStderr(true)
                .withTail(lines).exec(callback));
    }

    @Override
    public synchronized void close() {
        closing = true;
        watch.shutdownNow();
        try {
            watch.awaitTermination(10, TimeUnit.SECONDS); // a look under way ends before the services go
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.close();
        if (runId == null) {
            return;
        }
        awaitExit();
        LOG.debug("removed {}", RunsOnEngine.removeRun(engine, runId));
    }

    /** Gives clients told to shut down a moment to leave the cluster cleanly before their services go. */
    private void awaitExit() {
        if (serviceIds.isEmpty()) {
            return; // no filter would list every task of the swarm
        }
        long deadline = System.nanoTime() + StopTimes.CLIENT_EXIT.toNanos();
        try {
            while (System.nanoTime() < deadline && engine.client().listTasksCmd()
                    .withServiceFilter(serviceIds.values().toArray(String[]::new)).exec().stream()
                    .anyMatch(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)) {
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The manager is gone: nothing to wait for.
        }
    }
}
