package io.flhetero.fl.server;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Evaluation;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitInstruction;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.server.ClientRequests.Replies;
import io.flhetero.fl.server.ClientRequests.Reply;
import io.flhetero.fl.strategy.KeptResults;
import io.flhetero.fl.strategy.Strategy;
import io.flhetero.model.OptimizerState;
import io.flhetero.profile.StrategySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Drives synchronous rounds (fit, aggregate, evaluate) through a {@link Strategy}, over the clients of a
 * {@link ClientRegistry}, asking them through {@link ClientRequests}. Every request carries the round's timeout,
 * so a silent or dead client never hangs a run; clients that are gone leave the run, and the run stops once
 * fewer than {@code min_available_clients} remain. Runs on the caller's thread and blocks on the bus.
 */
public final class RoundCoordinator implements Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(RoundCoordinator.class);

    private final ClientRegistry registry;
    private final ClientRequests requests;
    private final Strategy strategy;
    private final StrategySpec spec;
    private final OomRestarts oomRestarts;
    private final RunListener listener;
    private final Availability availability;
    private final OnlineWatch onlineWatch;
    private volatile boolean stopping;
    /** Device time since the run began: the rounds' device times added up, the clock availability follows. */
    private double clock;
    private volatile float[] global;
    private volatile Duration startupTimeout = Duration.ofMinutes(1);
    private volatile Map<String, OptimizerState> clientStates = Map.of();

    public RoundCoordinator(ClientRegistry registry, ClientRequests requests, Strategy strategy, StrategySpec spec,
                            OomRestarts oomRestarts, RunListener listener, float[] initial) {
        this(registry, requests, strategy, spec, oomRestarts, listener, initial, Availability.ALWAYS);
    }

    /** @param availability when each client is online; offline ones sit rounds out */
    public RoundCoordinator(ClientRegistry registry, ClientRequests requests, Strategy strategy, StrategySpec spec,
                            OomRestarts oomRestarts, RunListener listener, float[] initial,
                            Availability availability) {
        this.availability = availability;
        this.onlineWatch = new OnlineWatch(availability, listener);
        this.registry = registry;
        this.requests = requests;
        this.strategy = strategy;
        this.spec = spec;
        this.oomRestarts = oomRestarts;
        this.listener = listener;
        this.global = initial;
    }

    /**
     * Waits until {@code expected} clients have registered or the timeout passes; the timeout is also how long a
     * restarted client has to come back.
     *
     * @throws TooFewClientsException when fewer than min_available_clients came
     */
    @Override
    public List<RegisteredClient> awaitClients(int expected, Duration timeout) throws InterruptedException {
        startupTimeout = timeout;
        return registry.awaitClients(expected, timeout, spec.minAvailableClients());
    }

    @Override
    public double clock() {
        return clock;
    }

    @Override
    public float[] globalParameters() {
        return global;
    }

    /** Stops the run from another thread (Ctrl-C): requests in flight end now; the round in flight is discarded. */
    @Override
    public void stop() {
        stopping = true;
        registry.stop();
        requests.failAll(FailureReason.ERROR, "the run is stopping");
    }

    /** Runs one round: fit, aggregate, evaluate; empty when the run was stopped during it. */
    @Override
    public Optional<RoundReport> round(int round) throws InterruptedException {
        registry.awaitReturning(startupTimeout);
        long start = System.nanoTime();
        List<FitInstruction> asked = strategy.configureFit(round, global, online());
        int keep = strategy.resultsToKeep(asked);
        listener.roundStarted(round, asked.stream().map(FitInstruction::client).toList());
        Replies<FitOutcome> fitted = requests.ask(asked, FitInstruction::client, Messages::fit, Messages::fitResult,
                spec.roundTimeout(), cutoffOnceKept(round, keep, asked));
        double fitWall = (System.nanoTime() - start) / 1e9;
        if (stopping) {
            return Optional.empty();
        }
        Map<String, Double> left = departures(fitted.results());
        List<FitOutcome> finished = fitted.results().stream().filter(r -> !left.containsKey(r.clientId())).toList();
        List<Failure> wentOffline = fitted.results().stream().filter(r -> left.containsKey(r.clientId()))
                .map(r -> new Failure(r.clientId(), FailureReason.OFFLINE, String.format(Locale.ROOT,
                        "went offline %.1f s into its %.1f s of work", left.get(r.clientId()), r.simulatedSeconds())))
                .toList();
        // The round waited for each client until it answered or left: one that left counts until it did.
        double lastLeft = left.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        KeptResults kept = strategy.keep(keep, finished);
        List<Failure> fitFailures = Stream.of(fitted.failures(), wentOffline, kept.dropped()).flatMap(List::stream)
                .toList();
        global = strategy.aggregateFit(round, global, kept.kept(), fitFailures);
        afterFailures(fitFailures);

        double roundSeconds = Math.max(deviceSeconds(kept.kept(), fitFailures), lastLeft);
        // Who left or came back during the round: a container that left stops, one back starts and registers.
        onlineWatch.advanceTo(clock + roundSeconds, registry.availableIds());
        registry.awaitReturning(startupTimeout);
        Replies<EvaluateOutcome> evaluations = evaluate(round, fitFailures, clock + roundSeconds);
        afterFailures(evaluations.failures());
        Map<String, OptimizerState> states = collectClientStates(fitted.results(), evaluations.failures());
        if (stopping) {
            return Optional.empty();
        }
        clientStates = states;
        Evaluation evaluation = strategy.aggregateEvaluate(round, evaluations.results(), evaluations.failures());
        // Evaluation follows the fit: the round ends when its slowest evaluator has answered.
        double evaluationSeconds = evaluations.results().stream().mapToDouble(EvaluateOutcome::simulatedSeconds)
                .max().orElse(0);
        RoundReport report = new RoundReport(round, kept.kept(), fitFailures, evaluations.results(),
                evaluations.failures(), evaluation, (System.nanoTime() - start) / 1e9, fitWall,
                roundSeconds + evaluationSeconds, registry.members());
        clock += roundSeconds + evaluationSeconds;
        listener.roundFinished(report);
        requireEnoughClients(report);
        return Optional.of(report);
    }

    /**
     * The optimizer states of the clients that trained in the last completed round; one that did not answer is left
     * out (a checkpoint keeps its state from before). Handed over once: a round of many clients collects hundreds
     * of megabytes, which need not live on through the next round.
     */
    @Override
    public Map<String, OptimizerState> clientStates() {
        Map<String, OptimizerState> states = clientStates;
        clientStates = Map.of();
        return states;
    }

    /**
     * Part of every round, so that a stop that comes after it cannot leave a checkpoint without them. Only clients
     * whose fit answered are asked (their state is the one that changed), and not those whose evaluation then
     * failed: one busy or hung would hold the round for another timeout, its request queued behind the evaluation.
     */
    private Map<String, OptimizerState> collectClientStates(List<FitOutcome> answered, List<Failure> evaluateFailures) {
        Set<String> ids = answered.stream().map(FitOutcome::clientId).collect(Collectors.toCollection(HashSet::new));
        evaluateFailures.forEach(f -> ids.remove(f.clientId()));
        List<RegisteredClient> targets = registry.available().stream().filter(c -> ids.contains(c.id())).toList();
        Replies<Map.Entry<String, OptimizerState>> states = requests.ask(targets, c -> c,
                c -> Messages.stateRequest(), m -> Map.entry(m.fields().getString("id"), Messages.stateResult(m)),
                spec.roundTimeout(), reply -> { });
        Map<String, OptimizerState> byClient = new TreeMap<>();
        states.results().forEach(e -> byClient.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(byClient);
    }

    /**
     * Gives the clients of a resumed run the optimizer states they had at the checkpoint; one that does not take
     * its state trains on from a fresh optimizer, which the log says.
     */
    @Override
    public void restoreClientStates(Map<String, OptimizerState> states) {
        List<RegisteredClient> targets = registry.available().stream().filter(c -> states.containsKey(c.id()))
                .toList();
        requests.ask(targets, c -> c, c -> Messages.restore(states.get(c.id())), m -> m, spec.roundTimeout(),
                reply -> { });
    }

    @Override
    public void restoreGlobal(float[] parameters, int round, double deviceSeconds) {
        clock = deviceSeconds;
        onlineWatch.startAt(deviceSeconds);
        global = parameters;
    }

    /**
     * The new global model, evaluated by the strategy's choice of clients. Clients that failed this round's fit
     * are likely still busy or gone: they sit out, as do those offline at the round's {@code end}. Dropped ones
     * have answered and evaluate like the rest.
     */
    private Replies<EvaluateOutcome> evaluate(int round, List<Failure> fitFailures, double end) {
        Set<String> failedFit = fitFailures.stream().filter(f -> f.reason() != FailureReason.DROPPED)
                .map(Failure::clientId).collect(Collectors.toSet());
        List<RegisteredClient> evaluators = strategy.configureEvaluate(round, registry.available().stream()
                .filter(c -> !failedFit.contains(c.id()) && availability.online(c.id(), end)).toList());
        float[] evaluated = global;
        return requests.ask(evaluators, c -> c, c -> Messages.evaluate(round, evaluated), Messages::evaluateResult,
                spec.roundTimeout(), reply -> { });
    }

    /**
     * The clients online at the round's start. When none is, the round starts once the first comes online: the
     * clock moves on to then. Clients that just came back online and are starting again are waited for.
     */
    private List<RegisteredClient> online() throws InterruptedException {
        clock = registry.firstOnline(availability, clock);
        onlineWatch.advanceTo(clock, registry.availableIds());
        registry.awaitReturning(startupTimeout); // containers of devices back online register again
        return registry.available().stream().filter(c -> availability.online(c.id(), clock)).toList();
    }

    /**
     * The clients whose devices went offline during their work (which is lost), and how many seconds into the
     * round each left.
     */
    private Map<String, Double> departures(List<FitOutcome> results) {
        Map<String, Double> left = new HashMap<>();
        for (FitOutcome r : results) {
            availability.offlineBetween(r.clientId(), clock, clock + r.simulatedSeconds())
                    .ifPresent(t -> left.put(r.clientId(), t - clock));
        }
        return left;
    }

    /** Clients whose failure ends them leave the run; those killed for memory may come back. */
    private void afterFailures(List<Failure> failures) {
        failures.stream().filter(f -> f.reason().fatal()).forEach(f -> registry.remove(f.clientId()));
        if (!stopping) {
            oomRestarts.handle(failures, registry, listener);
        }
    }

    /** The round's device time: its slowest contributor's, or the round timeout when someone timed out. */
    private double deviceSeconds(List<FitOutcome> kept, List<Failure> failures) {
        boolean timedOut = failures.stream().anyMatch(f -> f.reason() == FailureReason.TIMEOUT);
        return timedOut ? spec.roundTimeout().toMillis() / 1e3
                : kept.stream().mapToDouble(FitOutcome::simulatedSeconds).max().orElse(0);
    }

    /**
     * With over-selection: once {@code keep} clients have finished, the others are told to stop at the device time
     * the slowest of those took. On real devices they are past it already and stop at once; a simulated device
     * that is still under it goes on, since on its own hardware it would have been among the first.
     */
    private Consumer<Reply<FitOutcome>> cutoffOnceKept(int round, int keep, List<FitInstruction> asked) {
        if (keep >= asked.size()) {
            return reply -> { };
        }
        List<FitOutcome> finished = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        return reply -> {
            synchronized (finished) {
                answered.add(reply.clientId());
                if (reply.result() != null) {
                    finished.add(reply.result());
                    if (finished.size() == keep) {
                        double at = finished.stream().mapToDouble(FitOutcome::simulatedSeconds).max().orElse(0);
                        asked.stream().map(i -> i.client().id()).filter(id -> !answered.contains(id))
                                .forEach(id -> requests.tell(id, Messages.cutoff(round, at)));
                    }
                }
            }
        };
    }

    private void requireEnoughClients(RoundReport report) {
        TooFewClientsException.require(report.clientsLeft(), spec.minAvailableClients(), "after round "
                + report.round(), Stream.concat(report.fitFailures().stream(), report.evaluateFailures().stream())
                .toList());
    }
}
