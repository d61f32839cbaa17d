package io.flhetero.cli;

import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FitProgress;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.run.FederatedRun;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@code run} prints: one line per round and, on a terminal, a progress bar of the round in flight built
 * from the clients' batch counts. A run of many clients gets registration as a count and failures as a sample.
 */
final class ConsoleReporter implements RunListener, AutoCloseable {

    private static final int BAR_WIDTH = 24;
    /** Failures a round line names; the rest are counted. */
    private static final int FAILURES_NAMED = 5;

    private final PrintStream out;
    private final int rounds;
    private final int clients;
    private final boolean interactive;
    private final AtomicInteger registered = new AtomicInteger();
    private final Map<String, int[]> progress = new ConcurrentHashMap<>();
    private final Map<String, String> deviceOf = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private volatile int round;
    private volatile long roundStart;
    private volatile boolean barShown;
    private final long created = System.nanoTime();

    ConsoleReporter(PrintStream out, int rounds, int clients, boolean interactive) {
        this.out = out;
        this.rounds = rounds;
        this.clients = clients;
        this.interactive = interactive;
        this.ticker = interactive ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-bar");
            t.setDaemon(true);
            return t;
        }) : null;
        if (ticker != null) {
            ticker.scheduleAtFixedRate(this::drawBar, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void clientRegistered(RegisteredClient c) {
        boolean first = deviceOf.put(c.id(), c.deviceClass()) == null; // a restarted client registers again
        int count = first ? registered.incrementAndGet() : registered.get();
        double after = (System.nanoTime() - created) / 1e9;
        if (clients <= FederatedRun.CLIENTS_LISTED) {
            line(String.format(Locale.ROOT, "client %-9s registered: %-10s cpus %s, memory %d MB, %d train / %d test "
                            + "images (after %.1f s)", c.id(), c.deviceClass(), c.cpus(), c.memoryBytes() >> 20,
                    c.trainExamples(), c.testExamples(), after));
        } else if (first && (count == 1 || count * 10L / clients > (count - 1) * 10L / clients)) {
            line(String.format(Locale.ROOT, "%d of %d clients registered (after %.1f s)", count, clients, after));
        }
    }

    @Override
    public void roundStarted(int round, List<RegisteredClient> training) {
        progress.clear();
        training.forEach(c -> progress.put(c.id(), new int[] {0, 0}));
        this.roundStart = System.nanoTime();
        this.round = round;
    }

    @Override
    public void progress(FitProgress p) {
        if (p.round() == round) {
            progress.put(p.clientId(), new int[] {p.done(), p.total()});
        }
    }

    @Override
    public void roundFinished(RoundReport r) {
        if (r.asynchronous()) {
            versionFinished(r);
            return;
        }
        round = 0;
        String slowest = r.slowest().map(f -> String.format(Locale.ROOT, "%s (%s, %.1f s device)", f.clientId(),
                deviceOf.getOrDefault(f.clientId(), "?"), f.simulatedSeconds())).orElse("-");
        List<Failure> failures = Stream.concat(r.fitFailures().stream(), r.evaluateFailures().stream()).toList();
        String failed = failed(failures);
        line(String.format(Locale.ROOT, "round %3d/%d  accuracy %s  loss %s  took %5.1f s (device %5.1f s)  "
                        + "slowest %s  failures %s", r.round(), rounds, fmt(r.evaluation().accuracy()),
                fmt(r.evaluation().loss()), r.wallSeconds(), r.simulatedSeconds(), slowest, failed));
    }

    /** A model version of an asynchronous run: whose updates made it and how stale they were. */
    private void versionFinished(RoundReport r) {
        String updates = r.updates().stream().map(u -> u.outcome().clientId() + (u.staleness() == 0 ? ""
                : " (" + u.staleness() + " stale)")).collect(Collectors.joining(", "));
        String failed = failed(r.fitFailures());
        line(String.format(Locale.ROOT, "version %3d/%d  accuracy %s  loss %s  took %5.1f s (device %5.1f s)  "
                        + "updates %s  failures %s", r.round(), rounds, fmt(r.evaluation().accuracy()),
                fmt(r.evaluation().loss()), r.wallSeconds(), r.simulatedSeconds(), updates, failed));
    }

    @Override
    public void clientRestarted(String clientId, int restart, int maxRestarts) {
        line(String.format(Locale.ROOT, "client %s was killed for memory: restarting it (%d of %d) with half its batch "
                + "size", clientId, restart, maxRestarts));
    }

    @Override
    public void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
        line(String.format(Locale.ROOT, "client %s %s at %.1f s of device time", clientId,
                online ? "came back online" : "went offline", deviceSeconds));
    }

    void line(String text) {
        synchronized (out) {
            if (barShown) {
                out.print("\r\033[2K");
                barShown = false;
            }
            out.println(text);
            out.flush();
        }
    }

    private void drawBar() {
        int r = round;
        if (r == 0 || progress.isEmpty()) {
            return;
        }
        long done = 0;
        long total = 0;
        for (int[] p : progress.values()) {
            done += p[0];
            total += p[1];
        }
        double fraction = total == 0 ? 0 : done / (double) total;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String clientsDone = progress.values().stream().filter(p -> p[1] > 0 && p[0] == p[1]).count() + "/"
                + progress.size();
        String bar = String.format(Locale.ROOT, "round %d/%d [%s%s] %3.0f%%  clients done %s  %.0f s", r, rounds,
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), fraction * 100, clientsDone,
                (System.nanoTime() - roundStart) / 1e9);
        synchronized (out) {
            out.print("\r\033[2K" + bar);
            out.flush();
            barShown = true;
        }
    }

    /** "0", or how many failed and who, the first few named: "3 (client2 timeout, client5 oom, client9 error)". */
    static String failed(List<Failure> failures) {
        if (failures.isEmpty()) {
            return "0";
        }
        String named = failures.stream().limit(FAILURES_NAMED).map(f -> f.clientId() + " " + f.reason().label())
                .collect(Collectors.joining(", "));
        int more = failures.size() - FAILURES_NAMED;
        return failures.size() + " (" + named + (more > 0 ? ", and " + more + " more: see rounds.csv" : "") + ")";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "  -   ";
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        synchronized (out) {
            if (barShown) {
                out.print("\r\033[2K");
                out.flush();
                barShown = false;
            }
        }
    }

}
