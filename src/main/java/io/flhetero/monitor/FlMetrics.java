package io.flhetero.monitor;

import io.flhetero.fl.api.AsyncUpdate;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import static io.flhetero.monitor.MetricNames.*;

/**
 * Turns what a run does into Micrometer meters: the model's quality, rounds, and each client's work, in series of
 * each client's own or of its device class's ({@link ClientSeries}).
 */
public final class FlMetrics implements RunListener {

    private static final String ONLINE_HELP = "1 while the client's device is online, 0 while it is away (churn); "
            + "for a device class's shared series, how many of its clients are online";

    private final MeterRegistry registry;
    private final SettableMeters meters;
    private final Set<String> clients = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> online = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicInteger> onlineInSeries = new ConcurrentHashMap<>();
    private final ClientSeries series;
    private final ContainerMetrics containers;
    private final Timer roundWall;
    private final DistributionSummary roundDevice;

    /** Round-time histogram buckets, in seconds: from a fraction of a second in-process to an hour. */
    private static final double[] ROUND_BUCKETS = {0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600};

    public FlMetrics(MeterRegistry registry) {
        this(registry, new ContainerMetrics(registry, ClientSeries.perClient()));
    }

    /** @param containers where the per-container network series (parameter payloads) go, and whose they are */
    public FlMetrics(MeterRegistry registry, ContainerMetrics containers) {
        this.registry = registry;
        this.meters = new SettableMeters(registry);
        this.containers = containers;
        this.series = containers.series();
        meters.gauge(MODEL_ACCURACY, "Federated accuracy of the global model, weighted by test examples", Tags.empty());
        meters.gauge(MODEL_LOSS, "Federated loss of the global model, weighted by test examples", Tags.empty());
        meters.gauge(ROUND, "The last finished round (asynchronously: the model version)", Tags.empty());
        roundWall = Timer.builder(ROUND_DURATION).description("Wall time of each round, fit and evaluation")
                .serviceLevelObjectives(Arrays.stream(ROUND_BUCKETS).mapToObj(s -> Duration.ofMillis((long) (s * 1000)))
                        .toArray(Duration[]::new)).register(registry);
        roundDevice = DistributionSummary.builder(ROUND_DEVICE).baseUnit("seconds").description("Device time of "
                + "each round: its slowest kept fit, then its slowest evaluation").serviceLevelObjectives(ROUND_BUCKETS)
                .register(registry);
        meters.gauge(ROUND_STRAGGLER_WAIT, "Device time between the fastest and the slowest client of the last round",
                Tags.empty());
        meters.gauge(CLIENTS_AVAILABLE, "Clients registered and still in the run", Tags.empty());
    }

    /**
     * {@code fl_run}: 1, labelled with what tells runs apart in a Prometheus that kept several (join on it,
     * e.g. {@code model_accuracy * on(instance) group_left(run_id) fl_run}). An info series; not named
     * {@code fl_run_info}, as Prometheus' Java client reserves that suffix for its own info type and drops it.
     */
    public static void runInfo(MeterRegistry registry, String runId, String profile, String runtime, String dataset,
                               String version) {
        Gauge.builder(RUN_INFO, () -> 1).description("The run these series belong to")
                .tags("run_id", runId, "profile", profile, "runtime", runtime, "dataset", dataset, "version", version)
                .register(registry);
    }

    @Override
    public void clientRegistered(RegisteredClient client) {
        series.register(client.id(), client.deviceClass());
        boolean first = clients.add(client.id()); // a restarted client registers again
        Tags tags = tags(client.id());
        set(CLIENT_CPU_LIMIT, "CPU limit of the client's device", tags, client.cpus());
        set(CLIENT_MEMORY_LIMIT, "Memory limit of the client's device", tags, client.memoryBytes());
        if (first) {
            for (FailureReason reason : FailureReason.values()) {
                failures(client.id(), reason);
            }
            restarts(client.id());
        }
        availabilityChanged(client.id(), true, 0);
        set(CLIENTS_AVAILABLE, null, Tags.empty(), clients.size());
    }

    @Override
    public void availabilityChanged(String clientId, boolean isOnline, double deviceSeconds) {
        Tags tags = tags(clientId);
        AtomicInteger count = onlineInSeries.computeIfAbsent(tags, t -> new AtomicInteger());
        Boolean was = online.put(clientId, isOnline);
        if (was == null || was != isOnline) {
            count.addAndGet(isOnline ? 1 : was == null ? 0 : -1);
        }
        set(CLIENT_ONLINE, ONLINE_HELP, tags, count.get());
    }

    @Override
    public void roundFinished(RoundReport report) {
        set(ROUND, null, Tags.empty(), report.round());
        registry.counter(ROUNDS_COMPLETED).increment();
        for (AsyncUpdate u : report.updates()) {
            DistributionSummary.builder(UPDATE_STALENESS).description("Versions an applied update was behind, "
                    + "asynchronous runs").publishPercentileHistogram().register(registry).record(u.staleness());
            Counter.builder(UPDATES_APPLIED).description("Updates applied to the global model, asynchronous runs")
                    .tags(tags(u.outcome().clientId())).register(registry).increment();
        }
        roundWall.record(Duration.ofNanos((long) (report.wallSeconds() * 1e9)));
        roundDevice.record(report.simulatedSeconds());
        DoubleSummaryStatistics deviceTimes = report.fits().stream().mapToDouble(FitOutcome::simulatedSeconds)
                .summaryStatistics();
        set(ROUND_STRAGGLER_WAIT, null, Tags.empty(), report.fits().isEmpty() ? 0
                : deviceTimes.getMax() - deviceTimes.getMin());
        set(CLIENTS_AVAILABLE, null, Tags.empty(), report.clientsLeft());
        if (report.evaluation().present()) {
            set(MODEL_ACCURACY, null, Tags.empty(), report.evaluation().accuracy());
            set(MODEL_LOSS, null, Tags.empty(), report.evaluation().loss());
        }
        List<FitOutcome> fits = report.fits();
        setMeans(CLIENT_FIT_DURATION, "Wall time of the client's last fit", fits, FitOutcome::clientId,
                FitOutcome::fitSeconds);
        setMeans(CLIENT_FIT_DEVICE, "Device time of the client's last fit", fits, FitOutcome::clientId,
                FitOutcome::simulatedSeconds);
        setMeans(CLIENT_TRANSFER, "Device time the client's last fit spent receiving and sending parameters over its "
                + "link", fits, FitOutcome::clientId, FitOutcome::transferSeconds);
        setMeans(CLIENT_SAMPLES_PER_SECOND, "Training throughput of the client's last fit", fits,
                FitOutcome::clientId, FitOutcome::samplesPerSecond);
        setMeans(CLIENT_EXAMPLES, "Training examples of the client's last fit", fits, FitOutcome::clientId,
                FitOutcome::examples);
        setMeans(CLIENT_TRAIN_ACCURACY, "Training accuracy after the client's last fit", fits, FitOutcome::clientId,
                FitOutcome::trainAccuracy);
        setMeans(CLIENT_TRAIN_LOSS, "Mean training loss of the client's last fit", fits, FitOutcome::clientId,
                FitOutcome::trainLoss);
        for (FitOutcome fit : fits) {
            Counter.builder(CLIENT_DEVICE_SECONDS).description("Device time of all the client's fits, in seconds")
                    .tags(tags(fit.clientId())).register(registry).increment(fit.simulatedSeconds());
            long payload = (long) fit.parameters().length * Float.BYTES;
            containers.addNetwork(fit.clientId(), ContainerMetrics.SOURCE_EVENTBUS, payload, payload);
        }
        List<EvaluateOutcome> evaluations = report.evaluations();
        for (EvaluateOutcome e : evaluations) {
            containers.addNetwork(e.clientId(), ContainerMetrics.SOURCE_EVENTBUS,
                    fits.isEmpty() ? 0 : (long) fits.get(0).parameters().length * Float.BYTES, 0);
        }
        setMeans(CLIENT_TEST_ACCURACY, "Accuracy of the global model on the client's test split", evaluations,
                EvaluateOutcome::clientId, EvaluateOutcome::accuracy);
        setMeans(CLIENT_TEST_LOSS, "Loss of the global model on the client's test split", evaluations,
                EvaluateOutcome::clientId, EvaluateOutcome::loss);
        Stream.concat(report.fitFailures().stream(), report.evaluateFailures().stream())
                .forEach(f -> failures(f.clientId(), f.reason()).increment());
    }

    @Override
    public void clientRestarted(String clientId, int restart, int maxRestarts) {
        restarts(clientId).increment();
    }

    private Counter restarts(String clientId) {
        return Counter.builder(CLIENT_RESTARTS).description("Times the client was restarted after an OOM kill")
                .tags(tags(clientId)).register(registry);
    }

    private Counter failures(String clientId, FailureReason reason) {
        return Counter.builder(CLIENT_FAILURES).description("Rounds a client did not contribute to, by reason")
                .tags(tags(clientId).and(REASON, reason.label())).register(registry);
    }

    private Tags tags(String clientId) {
        return Tags.of(CLIENT_ID, series.clientLabel(clientId), DEVICE_CLASS, series.deviceClass(clientId));
    }

    /**
     * Each series' gauge set to the mean of its clients' values: a client's own value when it has its own. A value
     * that is not a number (no training examples) leaves a shared series' mean alone.
     */
    private <T> void setMeans(String name, String description, List<T> outcomes, Function<T, String> clientId,
                              ToDoubleFunction<T> value) {
        Map<Tags, DoubleSummaryStatistics> bySeries = new HashMap<>();
        for (T o : outcomes) {
            DoubleSummaryStatistics values = bySeries.computeIfAbsent(tags(clientId.apply(o)),
                    t -> new DoubleSummaryStatistics());
            double v = value.applyAsDouble(o);
            if (Double.isFinite(v)) {
                values.accept(v);
            }
        }
        bySeries.forEach((tags, values) -> set(name, description, tags,
                values.getCount() == 0 ? Double.NaN : values.getAverage()));
    }

    private void set(String name, String description, Tags tags, double value) {
        meters.gauge(name, description, tags).value = value;
    }
}
