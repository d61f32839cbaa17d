package io.flhetero.report;

import io.flhetero.data.Dataset;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.jvm.ThisHost;
import io.flhetero.jvm.ProcessMemory;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.policy.TrainingPlan;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.Profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Collects what summary.json says about a run while it runs. */
public final class RunSummary implements RunListener {

    public enum Status { RUNNING, COMPLETED, FAILED, INTERRUPTED }

    private final String runId;
    private final Profile profile;
    private final Dataset dataset;
    private final String runtime;
    private final List<ClientSpec> clients;
    private Instant started = Instant.now();
    private final Map<String, RegisteredClient> registered = new TreeMap<>();
    private final Map<String, Map<String, Integer>> failures = new TreeMap<>();
    private final Map<String, String> lostClients = new TreeMap<>();
    private final Map<String, Integer> restarts = new TreeMap<>();
    /** Clients restarted whose OOM failure has not been counted yet: that failure does not make them lost. */
    private final Set<String> restarting = new HashSet<>();
    private final Map<String, TrainingPlan> plans = new TreeMap<>();
    private final List<Map<String, Object>> history = new ArrayList<>();
    private volatile Status status = Status.RUNNING;
    private String error;
    private String deviceModel = "";
    private double wallSeconds;
    /** Seconds from the run's start to all clients registered (null: not yet). */
    private Double registeredAfterSeconds;
    private double simulatedSeconds;

    public RunSummary(String runId, Profile profile, Dataset dataset, String runtime, List<ClientSpec> clients) {
        this.runId = runId;
        this.profile = profile;
        this.dataset = dataset;
        this.runtime = runtime;
        this.clients = clients;
    }

    @Override
    public synchronized void clientRegistered(RegisteredClient client) {
        registered.put(client.id(), client);
    }

    @Override
    public synchronized void roundFinished(RoundReport r) {
        wallSeconds += r.wallSeconds();
        simulatedSeconds += r.simulatedSeconds();
        Stream.concat(r.fitFailures().stream(), r.evaluateFailures().stream()).forEach(this::count);
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("round", r.round());
        round.put("accuracy", finite(r.evaluation().accuracy()));
        round.put("loss", finite(r.evaluation().loss()));
        round.put("seconds", r.wallSeconds());
        round.put("simulated_seconds", r.simulatedSeconds());
        round.put("clients_trained", r.fits().size());
        round.put("failures", r.failures());
        history.add(round);
    }

    @Override
    public synchronized void clientRestarted(String clientId, int restart, int maxRestarts) {
        restarts.put(clientId, restart);
        restarting.add(clientId);
    }

    /** The rounds' device time so far. */
    public synchronized double deviceSeconds() {
        return simulatedSeconds;
    }

    public synchronized void plan(String clientId, TrainingPlan plan) {
        plans.put(clientId, plan);
    }

    /** Where device times come from: containers' wall time, or which in-process model. */
    public synchronized void deviceModel(String description) {
        this.deviceModel = description;
    }

    public synchronized void finish(Status finalStatus, String message) {
        status = finalStatus;
        error = message;
    }

    public Status status() {
        return status;
    }

    /** How long after its start the run had all its clients registered. */
    public synchronized void clientsRegistered(double seconds) {
        registeredAfterSeconds = seconds;
    }

    public synchronized int roundsCompleted() {
        return history.size();
    }

    /** The last round's federated accuracy and loss, if a round completed and evaluated. */
    public synchronized Optional<Final> finalEvaluation() {
        if (history.isEmpty() || last("accuracy") == null) {
            return Optional.empty();
        }
        return Optional.of(new Final(last("accuracy"), last("loss")));
    }

    public record Final(double accuracy, double loss) {
    }

    private Double last(String key) {
        return (Double) history.get(history.size() - 1).get(key);
    }

    /** What this summary has collected, for a checkpoint: JSON values only. */
    public synchronized Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("started_at", started.toString());
        s.put("round_seconds_total", wallSeconds);
        s.put("simulated_seconds_total", simulatedSeconds);
        s.put("failures", failures);
        s.put("lost", lostClients);
        s.put("oom_restarts", restarts);
        s.put("restarting", List.copyOf(restarting));
        s.put("rounds", history);
        return s;
    }

    /** Goes on from a checkpoint's {@link #state()}: a resumed run's summary covers all its rounds. */
    @SuppressWarnings("unchecked")
    public synchronized void restore(Map<String, Object> s) {
        started = Instant.parse((String) s.get("started_at"));
        wallSeconds = ((Number) s.get("round_seconds_total")).doubleValue();
        simulatedSeconds = ((Number) s.get("simulated_seconds_total")).doubleValue();
        ((Map<String, Map<String, Number>>) s.get("failures")).forEach((id, byReason) -> byReason.forEach(
                (reason, n) -> failures.computeIfAbsent(id, k -> new TreeMap<>()).put(reason, n.intValue())));
        lostClients.putAll((Map<String, String>) s.get("lost"));
        ((Map<String, Number>) s.get("oom_restarts")).forEach((id, n) -> restarts.put(id, n.intValue()));
        restarting.addAll((List<String>) s.get("restarting"));
        for (Map<String, Object> round : (List<Map<String, Object>>) s.get("rounds")) {
            Map<String, Object> r = new LinkedHashMap<>(round);
            r.replaceAll((k, v) -> v instanceof Number n && !(v instanceof Integer) ? (Object) n.doubleValue() : v);
            history.add(r);
        }
    }

    public synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("status", status.name().toLowerCase());
        if (error != null) {
            m.put("error", error);
        }
        m.put("profile", profile.name());
        m.put("profile_source", profile.source());
        m.put("program", ThisProgram.version());
        ThisProgram.commit().ifPresent(commit -> m.put("commit", commit));
        m.put("host", host());
        m.put("jvm", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("runtime", runtime);
        m.put("device_model", deviceModel);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", dataset.name());
        data.put("synthetic", dataset.synthetic());
        data.put("requested", dataset.requested().profileName()); // what a fallback to synthetic data stood in for
        data.put("origin", dataset.origin());
        data.put("train_examples", dataset.train().size());
        data.put("test_examples", dataset.test().size());
        data.put("partition", profile.dataset().partition());
        data.put("data_percentage", profile.dataset().dataPercentage());
        m.put("dataset", data);
        m.put("rounds_planned", profile.rounds());
        m.put("rounds_completed", history.size());
        m.put("final_accuracy", history.isEmpty() ? null : last("accuracy"));
        m.put("final_loss", history.isEmpty() ? null : last("loss"));
        m.put("best_accuracy", history.stream().map(h -> (Double) h.get("accuracy")).filter(a -> a != null)
                .max(Double::compare).orElse(null));
        m.put("started_at", started.toString());
        m.put("finished_at", Instant.now().toString());
        m.put("round_seconds_total", wallSeconds);
        m.put("simulated_seconds_total", simulatedSeconds);
        m.put("clients_registered_after_seconds", registeredAfterSeconds);
        long peak = ProcessMemory.peakRssMb();
        // The run's own process: the server, and in-process every client with it.
        m.put("peak_rss_mb", peak < 0 ? null : peak);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (ClientSpec c : clients) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id());
            cm.put("device_class", c.device().name());
            cm.put("cpus", c.device().cpus());
            cm.put("memory", c.device().memory().toString());
            TrainingPlan plan = plans.get(c.id());
            cm.put("batch_size", plan == null ? c.device().batchSize() : plan.config().batchSize());
            cm.put("learning_rate", plan == null ? c.device().learningRate() : plan.config().learningRate());
            cm.put("local_epochs", plan == null ? c.device().localEpochs() : plan.config().localEpochs());
            cm.put("max_steps_per_round", plan == null ? 0 : plan.config().maxSteps());
            cm.put("settings_from", plan == null ? "profile (static)" : plan.reason());
            RegisteredClient p = registered.get(c.id());
            cm.put("registered", p != null);
            if (p != null) {
                cm.put("train_examples", p.trainExamples());
                cm.put("test_examples", p.testExamples());
            }
            cm.put("lost", lostClients.get(c.id()));
            cm.put("oom_restarts", restarts.getOrDefault(c.id(), 0));
            cm.put("failures", failures.getOrDefault(c.id(), Map.of()));
            cs.add(cm);
        }
        m.put("clients", cs);
        m.put("rounds", history);
        return m;
    }

    /** What the run's figures were measured on. */
    private static Map<String, Object> host() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("cpus", Runtime.getRuntime().availableProcessors());
        ThisHost.memoryBytes().ifPresent(bytes -> h.put("memory_bytes", bytes));
        h.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return h;
    }

    private void count(Failure f) {
        failures.computeIfAbsent(f.clientId(), k -> new TreeMap<>()).merge(f.reason().label(), 1, Integer::sum);
        if (f.reason().fatal() && !restarting.remove(f.clientId())) {
            lostClients.putIfAbsent(f.clientId(), f.reason().label() + ": " + f.detail());
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
