package io.flhetero.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.jvm.StopTimes;
import io.flhetero.monitor.ContainerMetrics;
import io.flhetero.profile.ClientSpec;
import io.flhetero.runtime.ClientLostListener;
import io.flhetero.runtime.ClientRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients as Docker containers with real CPU and memory limits. It watches the engine's events for the run's
 * containers, so that a client that dies or is OOM-killed is reported at once (from State.OOMKilled and the
 * exit code) instead of at the round's deadline, and it removes every container of the run when closed.
 */
public final class DockerClientRuntime implements ClientRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerClientRuntime.class);

    private final DockerEngine engine;
    private final ClientContainers containers;
    private final Map<String, String> containerIds = new ConcurrentHashMap<>();
    private final Map<String, ContainerExit> exits = new ConcurrentHashMap<>();
    private final Map<String, ClientSpec> specs = new ConcurrentHashMap<>();
    /** Clients stopped while their device is offline. */
    private final Set<String> away = ConcurrentHashMap.newKeySet();
    /**
     * Stops asked for whose die event has not come yet, by client: counted, not looked up in {@link #away}, as the
     * event may come after the device is back and its container started again.
     */
    private final Map<String, Integer> stopsAsked = new ConcurrentHashMap<>();
    private String runId;
    private ResultCallback.Adapter<Event> events;
    private volatile boolean closing;
    private boolean writesArchive;

    private final ContainerStats stats;

    /** @param metrics where the containers' streamed stats go */
    public DockerClientRuntime(DockerEngine engine, ClientContainers containers, ContainerMetrics metrics) {
        this.engine = engine;
        this.containers = containers;
        this.stats = new ContainerStats(metrics);
    }

    /** Exit code of a process killed by SIGKILL: the kernel's OOM killer, or `docker kill`/`rm -f`. */
    private static final long SIGKILLED = 137;
    private static final long REMOVAL_GRACE_MILLIS = 1_000;
    /** A client leaves the cluster on SIGTERM within a second or two; then it is killed. */
    private static final int AWAY_STOP_SECONDS = 10;

    @Override
    public synchronized void start(String runId, List<ClientSpec> clients, ClientLostListener lost) {
        this.runId = runId;
        this.writesArchive = containers.writesClassArchive();
        events = engine.client().eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(RunLabels.RUN, runId))
                .withEventFilter("die")
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event event) {
                        died(event, lost);
                    }

                    @Override
                    public void onError(Throwable e) {
                        engineGone(lost, e.toString());
                    }

                    @Override
                    public void onComplete() {
                        engineGone(lost, "its event stream ended");
                    }
                });
        for (ClientSpec client : clients) {
            String id = containers.start(runId, client);
            containerIds.put(client.id(), id);
            specs.put(client.id(), client);
            stats.follow(engine.client(), id, client.id(), client.device());
            LOG.debug("started container {} (cpus {}, memory {})", client.id(), client.device().cpus(),
                    client.device().memory());
        }
    }

    private void died(Event event, ClientLostListener lost) {
        if (closing || event.getActor() == null || event.getActor().getAttributes() == null) {
            return;
        }
        String clientId = event.getActor().getAttributes().get(RunLabels.CLIENT);
        String containerId = event.getId();
        if (clientId == null || containerId == null) {
            return;
        }
        if (takeStopAsked(clientId)) {
            return; // its device went offline: stopped on purpose
        }
        ContainerExit exit;
        try {
            exit = exit(clientId, containerId);
        } catch (RuntimeException e) {
            engineGone(lost, e.toString()); // the engine does not answer: it is stopping
            return;
        }
        if (!exit.removed() && !exit.oomKilled() && exit.exitCode() == SIGKILLED) {
            // `docker rm -f` kills first (exit 137, the die event) and removes a moment later: look again.
            sleep(REMOVAL_GRACE_MILLIS);
            ContainerExit again = exit(clientId, containerId);
            exit = again.removed() ? again : exit;
        }
        exits.put(clientId, exit);
        if (exit.exitCode() != 0 || exit.oomKilled()) {
            LOG.warn("{}: {}", clientId, exit.describe());
        }
        lost.clientLost(clientId, exit.reason(), exit.describe());
    }

    private ContainerExit exit(String clientId, String containerId) {
        try {
            return ContainerExit.of(clientId, containers.inspect(containerId));
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return ContainerExit.removed(clientId);
        }
    }

    /**
     * The engine stopped or restarted under the run (its event stream ended without the run closing it): the
     * clients' containers went with it. Each client still thought alive is lost now, so that the run ends at
     * once with a clear reason instead of at its round timeout.
     */
    private void engineGone(ClientLostListener lost, String why) {
        if (closing) {
            return;
        }
        LOG.warn("the Docker engine went away ({}): the clients' containers are gone with it", why);
        for (String clientId : List.copyOf(containerIds.keySet())) {
            if (exits.putIfAbsent(clientId, ContainerExit.engineGone(clientId)) == null) {
                lost.clientUnseen(clientId, FailureReason.DIED, "the Docker engine stopped or restarted under the run; "
                        + "once it is back, `fl-hetero stop " + runId + "` removes what is left");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the client's container, keeping it (and its data share) for {@link #resume}. */
    @Override
    public boolean suspend(String clientId) {
        String id = containerIds.get(clientId);
        if (id == null || closing || !away.add(clientId)) {
            return false;
        }
        stopsAsked.merge(clientId, 1, Integer::sum);
        try {
            engine.client().stopContainerCmd(id).withTimeout(AWAY_STOP_SECONDS).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotModifiedException e) {
            takeStopAsked(clientId); // no die event comes for this one
            return true; // it had stopped already
        } catch (RuntimeException e) {
            takeStopAsked(clientId);
            away.remove(clientId);
            LOG.warn("could not stop {} while its device is offline: {}", clientId, e.getMessage());
            return false;
        }
    }

    /** Whether a stop was asked for this client and not yet seen; counts it as seen. */
    private boolean takeStopAsked(String clientId) {
        boolean[] asked = {false};
        stopsAsked.computeIfPresent(clientId, (id, n) -> {
            asked[0] = true;
            return n > 1 ? n - 1 : null;
        });
        return asked[0];
    }

    /** Starts the container of a client whose device came back online. */
    @Override
    public boolean resume(String clientId) {
        if (!away.remove(clientId)) {
            return false;
        }
        return restart(clientId);
    }

    /** Starts the client's exited container again: same limits, same launch file, a fresh JVM. */
    @Override
    public boolean restart(String clientId) {
        String id = containerIds.get(clientId);
        if (id == null || closing) {
            return false;
        }
        exits.remove(clientId); // before the start: a restart that dies at once records its own exit
        try {
            engine.client().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            LOG.warn("could not restart {}: {}", clientId, e.getMessage());
            return false;
        }
        // The stats stream ended with the old process.
        stats.follow(engine.client(), id, clientId, specs.get(clientId).device());
        return true;
    }

    @Override
    public String diagnose(String clientId) {
        String id = containerIds.get(clientId);
        if (id == null) {
            return "no container was started";
        }
        ContainerExit exit = exits.get(clientId);
        if (exit != null && exit.removed()) {
            return exit.describe(); // no log left to tail
        }
        return (exit == null ? "container still running" : exit.describe()) + "; its last lines:\n"
                + containers.tail(id, 20);
    }

    @Override
    public synchronized void close() {
        closing = true;
        stats.close();
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                // The event stream ends with the engine connection anyway.
            }
        }
        if (runId != null) {
            // A client writing the class-data archive (the first run of a JAR) needs longer to exit.
            awaitExit(writesArchive ? StopTimes.CLIENT_EXIT_WRITING_ARCHIVE : StopTimes.CLIENT_EXIT);
            if (writesArchive) {
                specs.values().stream().filter(c -> c.index() == 0).map(c -> containerIds.get(c.id())).findFirst()
                        .ifPresent(containers::settleClassArchive);
            }
            List<String> removed = ClientContainers.removeAll(engine.client(), Map.of(RunLabels.RUN, runId));
            LOG.debug("removed containers {}", removed);
        }
    }

    /** Gives clients that were told to shut down a moment to leave the cluster cleanly before removal. */
    private void awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : containerIds.values()) {
            try {
                while (System.nanoTime() < deadline && Boolean.TRUE.equals(containers.inspect(id).getState().getRunning())) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Gone already.
            }
        }
    }

    /**
     * Containers left by earlier runs (a killed orchestrator), to report before a new run starts; a finished run's
     * dashboard is not one.
     */
    public static List<Container> leftovers(DockerEngine engine) {
        return ClientContainers.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true")).stream()
                .filter(c -> c.getLabels() == null || !c.getLabels().containsKey(RunLabels.DASHBOARD)).toList();
    }
}
