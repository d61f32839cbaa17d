package io.flhetero.fl.server;

import io.flhetero.fl.api.AsyncUpdate;
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
import io.flhetero.fl.server.ClientRequests.Reply;
import io.flhetero.fl.strategy.FedBuff;
import io.flhetero.fl.strategy.UpdateBuffer;
import io.flhetero.model.OptimizerState;
import io.flhetero.profile.StrategySpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives a FedBuff run: up to {@code concurrency} clients train at once, each on the model version it was given;
 * every update goes into the strategy's buffer as it is applied, and every {@code buffer_size} of them make a new
 * version. A client whose update was applied gets new work at once.
 *
 * <p>In which order updates are applied decides the result. With real devices (containers) it is the order they
 * arrive in. In-process, where the host's threads finish in an order of their own, it is the order of simulated
 * device time: each piece of work starts at the virtual time it was handed out and ends its device time later,
 * and an update is applied only once no piece of work still computing could end before it (it started later), as
 * a conservative discrete-event simulation does. The result is then the one the devices would produce, whatever
 * the host's scheduling.
 *
 * <p>Evaluation runs on the server ({@link Evaluator}), on each client's test split, so that it never waits for
 * clients busy training and never disturbs their order.
 */
public final class BufferedCoordinator implements Coordinator {

    private final ClientRegistry registry;
    private final ClientRequests requests;
    private final FedBuff strategy;
    private final StrategySpec spec;
    private final OomRestarts oomRestarts;
    private final RunListener listener;
    private final Evaluator evaluator;
    private final boolean virtualTime;
    private final Availability availability;
    private final OnlineWatch onlineWatch;
    private final int lastVersion;
    /** When the first version was asked for (wall clock, containers) and the device time restored before it. */
    private long started;
    private double restoredSeconds;
    /** Pieces of work each client was given: its shuffle seed for the next one. */
    private final Map<String, Integer> jobsOf = new HashMap<>();
    /** Work handed out and not yet applied, by client. */
    private final Map<String, Job> running = new LinkedHashMap<>();
    /** Answers in the order the host got them. */
    private final BlockingQueue<Job> answered = new LinkedBlockingQueue<>();
    /** The global parameters of each version some running work started from. */
    private final Map<Integer, float[]> versions = new HashMap<>();
    private volatile float[] global;
    private int version;
    /** Seconds of device time (in-process) or wall time (containers) since the run began. */
    private double now;
    private double lastVersionAt;
    private volatile boolean stopping;
    private Duration startupTimeout = Duration.ofMinutes(1);

    /** One client's piece of work: on which version it started, when, and (once answered) how it ended. */
    private static final class Job {
        final RegisteredClient client;
        final int baseVersion;
        final double start;
        volatile Reply<FitOutcome> reply;
        volatile double end;

        Job(RegisteredClient client, int baseVersion, double start) {
            this.client = client;
            this.baseVersion = baseVersion;
            this.start = start;
        }
    }

    /**
     * @param virtualTime in-process: apply updates in the order of simulated device time; else as they arrive
     * @param lastVersion the run's last version, which is always evaluated
     * @param availability when each client is online: offline ones get no work, and lose work they were doing
     */
    public BufferedCoordinator(ClientRegistry registry, ClientRequests requests, FedBuff strategy, StrategySpec spec,
                               OomRestarts oomRestarts, RunListener listener, Evaluator evaluator, float[] initial,
                               boolean virtualTime, int lastVersion, Availability availability) {
        this.availability = availability;
        this.onlineWatch = new OnlineWatch(availability, listener);
        this.registry = registry;
        this.requests = requests;
        this.strategy = strategy;
        this.spec = spec;
        this.oomRestarts = oomRestarts;
        this.listener = listener;
        this.evaluator = evaluator;
        this.global = initial;
        this.virtualTime = virtualTime;
        this.lastVersion = lastVersion;
    }

    @Override
    public List<RegisteredClient> awaitClients(int expected, Duration timeout) throws InterruptedException {
        startupTimeout = timeout;
        return registry.awaitClients(expected, timeout, spec.minAvailableClients());
    }

    @Override
    public Optional<RoundReport> round(int target) throws InterruptedException {
        long wallStart = System.nanoTime();
        List<AsyncUpdate> updates = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        if (started == 0) {
            started = System.nanoTime(); // the wall clock of containers runs from here
        }
        onlineWatch.advanceTo(now, registry.availableIds());
        handOutWork();
        while (version < target) {
            Job done = next();
            if (done == null) {
                return Optional.empty();
            }
            running.remove(done.client.id());
            now = Math.max(now, done.end);
            onlineWatch.advanceTo(now, registry.availableIds());
            apply(done, updates, failures);
            forgetUnusedVersions();
            requireEnoughClients(failures);
            handOutWork();
        }
        List<EvaluateOutcome> evaluations = version % strategy.settings().evaluateEvery() == 0
                || version == lastVersion ? evaluator.evaluate(global) : List.of();
        Evaluation evaluation = strategy.aggregateEvaluate(version, evaluations, List.of());
        double wall = (System.nanoTime() - wallStart) / 1e9;
        RoundReport report = new RoundReport(version, updates.stream().map(AsyncUpdate::outcome).toList(), failures,
                evaluations, List.of(), evaluation, wall, wall, now - lastVersionAt, registry.members(), updates);
        lastVersionAt = now;
        listener.roundFinished(report);
        return Optional.of(report);
    }

    /** An answer: a failure, an update refused as too stale, or one more update in the buffer. */
    private void apply(Job done, List<AsyncUpdate> updates, List<Failure> failures) {
        if (done.reply.failure() != null) {
            failures.add(done.reply.failure());
            if (done.reply.failure().reason().fatal()) {
                registry.remove(done.client.id());
            }
            if (!stopping) {
                oomRestarts.handle(List.of(done.reply.failure()), registry, listener);
            }
            return;
        }
        FitOutcome outcome = done.reply.result();
        if (outcome.steps() == 0 || outcome.examples() == 0) {
            return; // stopped before its first batch: it hands back the model it got, nothing to add
        }
        int staleness = version - done.baseVersion;
        UpdateBuffer buffer = strategy.buffer();
        if (!buffer.accepts(staleness)) {
            failures.add(new Failure(done.client.id(), FailureReason.STALE, "trained on version " + done.baseVersion
                    + ", " + staleness + " versions old, more than max_staleness "
                    + strategy.settings().maxStaleness()));
            return;
        }
        double weight = buffer.add(done.client.id(), outcome.parameters(), versions.get(done.baseVersion),
                outcome.dataExamples(), done.end - done.start, staleness);
        updates.add(new AsyncUpdate(outcome, done.baseVersion, staleness, weight));
        if (buffer.full()) {
            global = buffer.apply(global);
            version++;
        }
    }

    /**
     * The next answer to apply. By arrival, the next one the host got. By device time, the one that ends first,
     * once every piece of work still computing started after it ended (so none can end before it).
     */
    private Job next() throws InterruptedException {
        List<Job> held = new ArrayList<>();
        while (!stopping) {
            Job first = held.stream().min(Comparator.<Job>comparingDouble(j -> j.end)
                    .thenComparing(j -> j.client.id())).orElse(null);
            // Work not yet taken from the queue counts as computing, even if its answer is on its way.
            if (first != null && (!virtualTime || running.values().stream()
                    .filter(j -> !held.contains(j)).allMatch(j -> j.start > first.end))) {
                held.remove(first);
                answered.addAll(held); // the others wait for their turn
                return first;
            }
            Job job = answered.poll(200, TimeUnit.MILLISECONDS);
            if (job != null) {
                held.add(job);
            } else if (!virtualTime) {
                // Real devices: the clock moves on by itself; whoever came online meanwhile gets work.
                now = Math.max(now, wallNow());
                onlineWatch.advanceTo(now, registry.availableIds());
                if (running.isEmpty() && held.isEmpty()) {
                    awaitClientsBack();
                }
                handOutWork();
            } else if (running.isEmpty() && held.isEmpty()) {
                awaitClientsBack();
                waitForSomeoneOnline();
                handOutWork();
            }
        }
        return null;
    }

    /** Nobody is training: restarted clients may be on their way back. */
    private void awaitClientsBack() throws InterruptedException {
        registry.awaitReturning(startupTimeout);
        if (registry.available().isEmpty()) {
            throw new TooFewClientsException("no client left to train after version " + version + "; lower "
                    + "strategy.min_available_clients or give the devices more memory");
        }
    }

    /** Nobody online: the clock moves on to when the first client comes back online. */
    private void waitForSomeoneOnline() {
        now = registry.firstOnline(availability, now);
        onlineWatch.advanceTo(now, registry.availableIds());
    }

    /** Idle clients get work on the current version, up to {@code concurrency} at once. */
    private void handOutWork() {
        if (stopping) {
            return;
        }
        List<RegisteredClient> fleet = registry.available();
        List<RegisteredClient> idle = fleet.stream().filter(c -> !running.containsKey(c.id())
                && availability.online(c.id(), now)).toList();
        int free = strategy.settings().concurrency() - running.size();
        if (free <= 0 || idle.isEmpty()) {
            return;
        }
        versions.putIfAbsent(version, global);
        for (RegisteredClient client : strategy.pick(idle, free)) {
            Job job = new Job(client, version, now);
            running.put(client.id(), job);
            FitInstruction work = strategy.instruct(client, jobsOf.merge(client.id(), 1, Integer::sum), global, fleet);
            requests.send(client, Messages.fit(work), Messages::fitResult, spec.roundTimeout())
                    .thenAccept(reply -> {
                        job.end = end(job, reply);
                        job.reply = wentOffline(job, reply);
                        answered.add(job);
                    });
        }
    }

    /** When the work ended: in device time after its start, or on the wall clock. */
    private double end(Job job, Reply<FitOutcome> reply) {
        if (!virtualTime) {
            return wallNow();
        }
        if (reply.result() != null) {
            return job.start + reply.result().simulatedSeconds();
        }
        return job.start + (reply.failure().reason() == FailureReason.TIMEOUT ? spec.roundTimeout().toMillis() / 1e3
                : 0);
    }

    /** Seconds on the wall clock since the run began (restored ones included). */
    private double wallNow() {
        return restoredSeconds + (System.nanoTime() - started) / 1e9;
    }

    /** Work that the device went offline during is lost: a failure at the moment it left. */
    private Reply<FitOutcome> wentOffline(Job job, Reply<FitOutcome> reply) {
        if (!virtualTime || reply.result() == null) {
            return reply;
        }
        OptionalDouble left = availability.offlineBetween(job.client.id(), job.start, job.end);
        if (left.isEmpty()) {
            return reply;
        }
        job.end = left.getAsDouble();
        return new Reply<>(job.client.id(), null, new Failure(job.client.id(), FailureReason.OFFLINE,
                String.format(Locale.ROOT, "went offline %.1f s into its %.1f s of work", left.getAsDouble()
                        - job.start, reply.result().simulatedSeconds())));
    }

    private void forgetUnusedVersions() {
        versions.keySet().removeIf(v -> v != version && running.values().stream().noneMatch(j -> j.baseVersion == v));
    }

    private void requireEnoughClients(List<Failure> failures) {
        TooFewClientsException.require(registry.members(), spec.minAvailableClients(), "at version " + version,
                failures);
    }

    @Override
    public double clock() {
        return now;
    }

    @Override
    public float[] globalParameters() {
        return global;
    }

    /** Clients train on through every version: there is no moment their optimizers could be read alike. */
    @Override
    public Map<String, OptimizerState> clientStates() {
        return Map.of();
    }

    @Override
    public void restoreGlobal(float[] parameters, int round, double deviceSeconds) {
        now = deviceSeconds;
        onlineWatch.startAt(deviceSeconds);
        lastVersionAt = deviceSeconds;
        restoredSeconds = deviceSeconds;
        global = parameters;
        version = round;
    }

    @Override
    public void restoreClientStates(Map<String, OptimizerState> states) {
        // None are kept (see clientStates): resumed clients start from fresh optimizers.
    }

    @Override
    public void stop() {
        stopping = true;
        registry.stop();
        requests.failAll(FailureReason.ERROR, "the run is stopping");
    }
}
