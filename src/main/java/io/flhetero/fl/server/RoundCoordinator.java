package io.flhetero.fl.server;

import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.FailureReason;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.fl.strategy.ClientProxy;
import io.flhetero.fl.strategy.EvaluateOutcome;
import io.flhetero.fl.strategy.Evaluation;
import io.flhetero.fl.strategy.Failure;
import io.flhetero.fl.strategy.FitInstruction;
import io.flhetero.fl.strategy.FitOutcome;
import io.flhetero.fl.strategy.Strategy;
import io.flhetero.profile.StrategySpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The FL server: takes registrations on the event bus and drives rounds (fit, aggregate, evaluate) through a
 * {@link Strategy}. Every request carries the round's deadline, so a silent or dead client never hangs a run;
 * clients that are gone (OOM-killed, died) leave the run, and the run stops once fewer than
 * {@code min_available_clients} remain. The round loop runs on the caller's thread and blocks on the bus.
 */
public final class RoundCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoundCoordinator.class);

    private final Vertx vertx;
    private final String runId;
    private final Strategy strategy;
    private final StrategySpec spec;
    private final RunListener listener;
    private final Map<String, ClientProxy> clients = new LinkedHashMap<>();
    /** Requests in flight by client, so that a client known to be gone fails them at once. */
    private final Map<String, CompletableFuture<Object>> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final String token;
    private final List<MessageConsumer<WireMessage>> consumers = new ArrayList<>();
    private volatile boolean stopping;
    private float[] global;
    /** Restarts so far, by client, of clients killed for memory. */
    private final Map<String, Integer> restarts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Clients restarted and not registered again yet. */
    private final Set<String> returning = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> restarter = clientId -> false;
    private volatile Duration startupTimeout = Duration.ofMinutes(1);

    public RoundCoordinator(Vertx vertx, String runId, Strategy strategy, StrategySpec spec, float[] initial,
                            RunListener listener) {
        this(vertx, runId, "", strategy, spec, initial, listener);
    }

    /** @param token the secret clients must present at registration (empty: none, in-process) */
    public RoundCoordinator(Vertx vertx, String runId, String token, Strategy strategy, StrategySpec spec,
                            float[] initial, RunListener listener) {
        this.token = token;
        this.vertx = vertx;
        this.runId = runId;
        this.strategy = strategy;
        this.spec = spec;
        this.global = initial;
        this.listener = listener;
    }

    /** Starts taking registrations and progress reports; call before any client starts. */
    public void listen() {
        consumers.add(vertx.eventBus().<WireMessage>consumer(Addresses.registration(runId), message -> {
            if (!token.equals(Messages.registrationToken(message.body()))) {
                LOG.warn("refused a registration with a wrong run token");
                message.fail(FailureReason.ERROR.code(), "wrong run token");
                return;
            }
            ClientProxy client = Messages.registration(message.body());
            synchronized (clients) {
                clients.put(client.id(), client);
                returning.remove(client.id());
                clients.notifyAll();
            }
            LOG.debug("registered {} ({})", client.id(), client.deviceClass());
            listener.clientRegistered(client);
            message.reply(Messages.ack());
        }));
        consumers.add(vertx.eventBus().<WireMessage>consumer(Addresses.progress(runId),
                message -> listener.progress(Messages.progress(message.body()))));
        consumers.forEach(c -> await(c.completion(), Duration.ofSeconds(10)));
    }

    /**
     * Waits until {@code expected} clients have registered or the timeout passes.
     *
     * @throws TooFewClientsException when fewer than min_available_clients came
     */
    public List<ClientProxy> awaitClients(int expected, Duration timeout) throws InterruptedException {
        startupTimeout = timeout;
        awaitRegistrations(() -> clients.size() >= expected, timeout);
        List<ClientProxy> present = available();
        if (present.size() < spec.minAvailableClients()) {
            throw new TooFewClientsException(present.size() + " of " + expected + " clients registered within "
                    + timeout.toSeconds() + " s, fewer than min_available_clients " + spec.minAvailableClients());
        }
        if (present.size() < expected) {
            LOG.warn("{} of {} clients registered within {} s; going on with them", present.size(), expected,
                    timeout.toSeconds());
        }
        return present;
    }

    /**
     * How clients killed for memory are started again (the runtime's restart, true if it did); up to
     * strategy.oom_restarts times each, after which they leave the run. Without it they leave at once.
     */
    public void restartClientsWith(Predicate<String> restart) {
        this.restarter = restart;
    }

    public List<ClientProxy> available() {
        synchronized (clients) {
            return List.copyOf(clients.values());
        }
    }

    public float[] globalParameters() {
        return global;
    }

    /**
     * A client is gone (its container died or was OOM-killed): it leaves the run, and its request in flight
     * fails now instead of at the round's deadline.
     */
    public void clientLost(String clientId, FailureReason reason, String detail) {
        synchronized (clients) {
            clients.remove(clientId);
        }
        CompletableFuture<Object> pending = inFlight.get(clientId);
        if (pending != null) {
            pending.complete(new Failure(clientId, reason, detail));
        }
    }

    /**
     * Stops the run from another thread (Ctrl-C): requests in flight end now, and the round in flight is
     * discarded.
     */
    public void stop() {
        stopping = true;
        synchronized (clients) {
            clients.notifyAll();
        }
        inFlight.forEach((id, pending) -> pending.complete(new Failure(id, FailureReason.ERROR, "the run is stopping")));
    }

    /** Runs one round: fit, aggregate, evaluate; empty when the run was stopped during it. */
    public Optional<RoundReport> round(int round) {
        awaitReturning();
        long start = System.nanoTime();
        List<FitInstruction> fits = strategy.configureFit(round, global, available());
        int keep = strategy.resultsToKeep(fits);
        listener.roundStarted(round, fits.stream().map(FitInstruction::client).toList());
        Replies<FitOutcome> fitted = keepFirst(keep, ask(fits, FitInstruction::client, Messages::fit,
                Messages::fitResult, cutoffOnceKept(round, keep, fits)));
        double fitWall = (System.nanoTime() - start) / 1e9;
        if (stopping) {
            return Optional.empty();
        }
        global = strategy.aggregateFit(round, global, fitted.results, fitted.failures);
        forget(fitted.failures);
        restartOomKilled(fitted.failures);

        // A run being stopped skips evaluation: its clients are going away.
        // Clients that failed this round's fit are likely still busy or gone: they sit out its evaluation.
        // Dropped ones have answered and evaluate like the rest.
        List<String> failedFit = fitted.failures.stream().filter(f -> f.reason() != FailureReason.DROPPED)
                .map(Failure::clientId).toList();
        List<ClientProxy> evaluators = strategy.configureEvaluate(round,
                available().stream().filter(c -> !failedFit.contains(c.id())).toList());
        float[] evaluated = global;
        Replies<EvaluateOutcome> evaluations = ask(evaluators, c -> c, c -> Messages.evaluate(round, evaluated),
                Messages::evaluateResult, outcome -> { });
        forget(evaluations.failures);
        restartOomKilled(evaluations.failures);
        if (stopping) {
            return Optional.empty();
        }
        Evaluation evaluation = strategy.aggregateEvaluate(round, evaluations.results, evaluations.failures);

        boolean timedOut = fitted.failures.stream().anyMatch(f -> f.reason() == FailureReason.TIMEOUT);
        double simulated = timedOut ? spec.roundTimeout().toMillis() / 1e3
                : fitted.results.stream().mapToDouble(FitOutcome::simulatedSeconds).max().orElse(0);
        RoundReport report = new RoundReport(round, fitted.results, fitted.failures, evaluations.results,
                evaluations.failures, evaluation, (System.nanoTime() - start) / 1e9, fitWall, simulated,
                available().size() + returning.size());
        listener.roundFinished(report);
        requireEnoughClients(report);
        return Optional.of(report);
    }

    /** Asks each client to shut down (best effort, briefly). */
    public void shutdownClients() {
        List<Future<?>> acks = new ArrayList<>();
        for (ClientProxy c : available()) {
            acks.add(vertx.eventBus().request(Addresses.client(runId, c.id()), Messages.shutdown(),
                    new DeliveryOptions().setSendTimeout(2_000)).recover(e -> Future.succeededFuture()));
        }
        await(Future.join(acks), Duration.ofSeconds(3));
    }

    @Override
    public void close() {
        consumers.forEach(c -> await(c.unregister().recover(e -> Future.succeededFuture()), Duration.ofSeconds(2)));
    }

    private record Replies<T>(List<T> results, List<Failure> failures) {
    }

    /**
     * With over-selection: once {@code keep} clients have finished, the others are told to stop at the device time
     * the slowest of those took. On real devices they are past it already and stop at once; a simulated device
     * that is still under it goes on, since on its own hardware it would have been among the first.
     */
    private Consumer<Object> cutoffOnceKept(int round, int keep, List<FitInstruction> fits) {
        if (keep >= fits.size()) {
            return outcome -> { };
        }
        List<FitOutcome> finished = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        return outcome -> {
            synchronized (finished) {
                answered.add(outcome instanceof Failure f ? f.clientId() : ((FitOutcome) outcome).clientId());
                if (outcome instanceof FitOutcome f) {
                    finished.add(f);
                    if (finished.size() == keep) {
                        double at = finished.stream().mapToDouble(FitOutcome::simulatedSeconds).max().orElse(0);
                        fits.stream().map(i -> i.client().id()).filter(id -> !answered.contains(id)).forEach(id ->
                                vertx.eventBus().send(Addresses.client(runId, id), Messages.cutoff(round, at)));
                    }
                }
            }
        };
    }

    /** Keeps the {@code keep} results with the least device time; the rest are dropped, not aggregated. */
    private static Replies<FitOutcome> keepFirst(int keep, Replies<FitOutcome> replies) {
        if (replies.results.size() <= keep) {
            return replies;
        }
        List<FitOutcome> ranked = replies.results.stream()
                .sorted(Comparator.comparingDouble(FitOutcome::simulatedSeconds)).toList();
        double kept = ranked.get(keep - 1).simulatedSeconds();
        List<Failure> failures = new ArrayList<>(replies.failures);
        ranked.subList(keep, ranked.size()).forEach(f -> failures.add(new Failure(f.clientId(), FailureReason.DROPPED,
                String.format(Locale.ROOT, "over-selected: %.1f s of device time, the %d kept took at most %.1f s",
                        f.simulatedSeconds(), keep, kept))));
        return new Replies<>(ranked.subList(0, keep), failures);
    }

    /**
     * Sends one request per target with the round's deadline and collects replies and failures;
     * {@code onOutcome} hears each as it comes.
     */
    private <I, T> Replies<T> ask(List<I> targets, Function<I, ClientProxy> client, Function<I, WireMessage> request,
                                  Function<WireMessage, T> decode, Consumer<Object> onOutcome) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(spec.roundTimeout().toMillis());
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        for (I target : targets) {
            String id = client.apply(target).id();
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            inFlight.put(id, outcome);
            vertx.eventBus().<WireMessage>request(Addresses.client(runId, id), request.apply(target), options)
                    .map(m -> (Object) decode.apply(m.body()))
                    .recover(e -> Future.succeededFuture(failure(id, e)))
                    .onSuccess(outcome::complete);
            outcome.thenAccept(onOutcome);
            pending.add(outcome);
        }
        List<T> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (CompletableFuture<Object> p : pending) {
            Object outcome = p.join();
            inFlight.values().remove(p);
            if (outcome instanceof Failure f) {
                LOG.warn("{} did not contribute ({}): {}", f.clientId(), f.reason().label(), f.detail());
                failures.add(f);
            } else {
                @SuppressWarnings("unchecked")
                T result = (T) outcome;
                results.add(result);
            }
        }
        return new Replies<>(results, failures);
    }

    private static Failure failure(String clientId, Throwable e) {
        if (e instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.TIMEOUT) {
                return new Failure(clientId, FailureReason.TIMEOUT, "no answer before the round timeout");
            }
            if (re.failureType() == ReplyFailure.NO_HANDLERS) {
                return new Failure(clientId, FailureReason.DIED, "nobody answers at its address any more");
            }
            return new Failure(clientId, FailureReason.ofCode(re.failureCode()), re.getMessage());
        }
        return new Failure(clientId, FailureReason.ERROR, e.toString());
    }

    /** Clients killed for memory are restarted while they have restarts left; they train at half the batch. */
    private void restartOomKilled(List<Failure> failures) {
        for (Failure f : failures) {
            if (f.reason() != FailureReason.OOM || stopping) {
                continue;
            }
            int n = restarts.merge(f.clientId(), 1, Integer::sum);
            // Expected back before the restart, since an in-process client registers again within milliseconds.
            returning.add(f.clientId());
            if (n <= spec.oomRestarts() && restarter.test(f.clientId())) {
                listener.clientRestarted(f.clientId(), n, spec.oomRestarts());
            } else {
                returning.remove(f.clientId());
            }
        }
    }

    /** Before a round: restarted clients get up to the start-up timeout to register again. */
    private void awaitReturning() {
        try {
            awaitRegistrations(returning::isEmpty, startupTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (clients) {
            if (!returning.isEmpty()) {
                LOG.warn("{} did not register again within {} s of its restart; going on without", returning,
                        startupTimeout.toSeconds());
                returning.clear();
            }
        }
    }

    /** Waits, woken by each registration, until {@code done} holds, the timeout passes or the run stops. */
    private void awaitRegistrations(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (clients) {
            long left;
            while (!done.getAsBoolean() && !stopping && (left = deadline - System.nanoTime()) > 0) {
                clients.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Clients whose failure ends them leave the run. */
    private void forget(Collection<Failure> failures) {
        synchronized (clients) {
            failures.stream().filter(f -> f.reason().fatal()).forEach(f -> clients.remove(f.clientId()));
        }
    }

    private void requireEnoughClients(RoundReport report) {
        if (report.clientsLeft() < spec.minAvailableClients()) {
            String lost = java.util.stream.Stream.concat(report.fitFailures().stream(), report.evaluateFailures().stream())
                    .filter(f -> f.reason().fatal())
                    .map(f -> f.clientId() + " (" + f.reason().label() + ")")
                    .distinct().reduce((a, b) -> a + ", " + b).orElse("none this round");
            throw new TooFewClientsException("only " + report.clientsLeft() + " client"
                    + (report.clientsLeft() == 1 ? "" : "s") + " left after round " + report.round() + ", fewer than "
                    + "min_available_clients " + spec.minAvailableClients() + "; lost: " + lost
                    + ". Lower strategy.min_available_clients or give the devices more memory");
        }
    }

    private static void await(Future<?> future, Duration timeout) {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("gave up waiting: {}", e.toString());
        }
    }
}
