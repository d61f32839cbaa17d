package io.flhetero.fl.server;

import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Who takes part in a run (Flower's ClientManager): takes registrations and progress reports on the bus, knows
 * which clients are available, which left, and which were restarted and are expected back. Any driver of rounds
 * (synchronous or buffered) shares it.
 */
public final class ClientRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);

    private final Vertx vertx;
    private final String runId;
    private final RunListener listener;
    private final Map<String, RegisteredClient> clients = new LinkedHashMap<>();
    /** Clients restarted and not registered again yet. */
    private final Set<String> returning = ConcurrentHashMap.newKeySet();
    /** Clients whose process ended and that have not registered since: start-up stops waiting for them. */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final List<MessageConsumer<WireMessage>> consumers = new ArrayList<>();
    private volatile boolean stopping;

    public ClientRegistry(Vertx vertx, String runId, RunListener listener) {
        this.vertx = vertx;
        this.runId = runId;
        this.listener = listener;
    }

    /** Starts taking registrations and progress reports; call before any client starts. */
    public void listen() {
        consumers.add(vertx.eventBus().<WireMessage>consumer(Addresses.registration(runId), message -> {
            RegisteredClient client;
            try {
                client = Messages.registration(message.body());
            } catch (RuntimeException e) {
                LOG.warn("refused a registration that is not one this version understands: {}", e.toString());
                message.fail(FailureReason.ERROR.code(), "registration not understood (" + e.getMessage()
                        + "); client and server must run the same fl-hetero");
                return;
            }
            synchronized (clients) {
                clients.put(client.id(), client);
                returning.remove(client.id());
                ended.remove(client.id());
                clients.notifyAll();
            }
            LOG.debug("registered {} ({})", client.id(), client.deviceClass());
            listener.clientRegistered(client);
            message.reply(Messages.ack());
        }));
        consumers.add(vertx.eventBus().<WireMessage>consumer(Addresses.progress(runId),
                message -> listener.progress(Messages.progress(message.body()))));
        consumers.add(vertx.eventBus().<WireMessage>consumer(Addresses.alive(runId),
                message -> message.reply(Messages.ack())));
        consumers.forEach(c -> await(c.completion(), Duration.ofSeconds(10)));
    }

    /** The registered clients in their natural order (client2 before client10), whenever each registered. */
    public List<RegisteredClient> available() {
        synchronized (clients) {
            return clients.values().stream().sorted((a, b) -> RegisteredClient.compareIds(a.id(), b.id())).toList();
        }
    }

    /** The ids of the clients in the run: the available ones and those restarted and expected back. */
    public List<String> memberIds() {
        synchronized (clients) {
            List<String> ids = new ArrayList<>(clients.keySet());
            returning.stream().filter(id -> !clients.containsKey(id)).forEach(ids::add);
            return ids;
        }
    }

    List<String> availableIds() {
        return available().stream().map(RegisteredClient::id).toList();
    }

    /**
     * The first moment at or after {@code t} at which one of the available clients is online: {@code t} itself when
     * one is, else when the first comes back.
     *
     * @throws TooFewClientsException when none ever comes online again
     */
    double firstOnline(Availability availability, double t) {
        double next = available().stream().mapToDouble(c -> availability.nextOnline(c.id(), t)).min().orElse(t);
        if (Double.isInfinite(next)) {
            throw new TooFewClientsException("no client comes online again after " + Math.round(t) + " s of device "
                    + "time; give the availability trace later intervals or the devices a larger online share");
        }
        return Math.max(t, next);
    }

    /** Clients in the run: the available ones and those restarted and expected back. */
    public int members() {
        synchronized (clients) {
            return clients.size() + returning.size();
        }
    }

    /** A client leaves the run (it died, was killed, or its failure ends it). */
    public void remove(String clientId) {
        synchronized (clients) {
            clients.remove(clientId);
        }
    }

    /**
     * A client's process ended (it died or was killed: an exit its runtime saw): it leaves the run, and a start-up
     * still waiting for it waits no longer. A restart that follows ({@link #expectBack}) registers it again.
     */
    public void ended(String clientId) {
        synchronized (clients) {
            clients.remove(clientId);
            ended.add(clientId);
            clients.notifyAll();
        }
    }

    /** Whether the client's process ended and it has not registered since. */
    public boolean hasEnded(String clientId) {
        return ended.contains(clientId);
    }

    /** A client that left is being restarted: rounds wait for it to register again ({@link #awaitReturning}). */
    public void expectBack(String clientId) {
        returning.add(clientId);
    }

    /** A restart that did not happen after all. */
    public void giveUpOn(String clientId) {
        returning.remove(clientId);
    }

    /**
     * Waits until each of {@code expected} clients has registered or ended, or the timeout passes.
     *
     * @throws TooFewClientsException when fewer than {@code minAvailable} came
     */
    public List<RegisteredClient> awaitClients(int expected, Duration timeout, int minAvailable)
            throws InterruptedException {
        awaitRegistrations(() -> clients.size() + ended.size() >= expected, timeout);
        List<RegisteredClient> present;
        List<String> gone;
        synchronized (clients) {
            present = available();
            gone = ended.stream().sorted(RegisteredClient::compareIds).toList();
        }
        List<String> why = new ArrayList<>();
        if (present.size() + gone.size() < expected) {
            why.add("within " + timeout.toSeconds() + " s");
        }
        if (!gone.isEmpty()) {
            why.add("(" + String.join(", ", gone) + " ended during start-up)");
        }
        String when = String.join(" ", why);
        if (present.size() < minAvailable) {
            throw new TooFewClientsException(present.size() + " of " + expected + " clients registered " + when
                    + ", fewer than min_available_clients " + minAvailable);
        }
        if (present.size() < expected) {
            LOG.warn("{} of {} clients registered {}; going on with them", present.size(), expected, when);
        }
        return present;
    }

    /** Restarted clients get up to {@code timeout} to register again; those that do not are given up on. */
    public void awaitReturning(Duration timeout) throws InterruptedException {
        awaitRegistrations(returning::isEmpty, timeout);
        synchronized (clients) {
            if (!returning.isEmpty()) {
                LOG.warn("{} did not register again within {} s of its restart; going on without", returning,
                        timeout.toSeconds());
                returning.clear();
            }
        }
    }

    /** Wakes every wait: the run is stopping. */
    public void stop() {
        stopping = true;
        synchronized (clients) {
            clients.notifyAll();
        }
    }

    @Override
    public void close() {
        consumers.forEach(c -> await(c.unregister().recover(e -> Future.succeededFuture()), Duration.ofSeconds(2)));
    }

    /** Waits, woken by each registration, until {@code done} holds, the timeout passes or the run stops. */
    void awaitRegistrations(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (clients) {
            long left;
            while (!done.getAsBoolean() && !stopping && (left = deadline - System.nanoTime()) > 0) {
                clients.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    static void await(Future<?> future, Duration timeout) {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("gave up waiting: {}", e.toString());
        }
    }
}
