package io.flhetero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.model.TrainingSpeed;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RoundsCsv;
import io.flhetero.report.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Many in-process clients on tiny data: one device class of phones, a share of them training and evaluating each
 * round, each size a {@code run} in a JVM of its own. What it measures: the time until every client registered, each
 * round's wall time against the CPU time its clients' own training and evaluation took (what a round cannot go
 * below on this host's cores), the round's device time, and the run's peak resident memory.
 */
public final class ScaleBenchmark {

    /** The phones' CPU share: uncalibrated, a client's device time is its CPU time divided by it. */
    static final double CPUS = 0.5;

    /**
     * @param fractionFit      share of the clients that train each round
     * @param fractionEvaluate share that evaluate the new model
     * @param imagesPerClient  training and test images each client holds (a fifth of them for testing)
     */
    public record Settings(int rounds, double fractionFit, double fractionEvaluate, int imagesPerClient) {
    }

    /**
     * One round of a size.
     *
     * @param workCpuSeconds CPU time of the round's fits and evaluations, the clients' own work (device time times
     *                       the CPU share: exact uncalibrated, with no link in the profile)
     */
    public record Round(int round, double wallSeconds, double deviceSeconds, int fits, int evaluations,
                        double workCpuSeconds) {

        /** The round's wall time against its work spread over {@code cores}: 1 is all work, no overhead. */
        public double overhead(int cores) {
            return wallSeconds / (workCpuSeconds / cores);
        }
    }

    public record Result(int clients, String runId, boolean completed, double registeredSeconds, long peakRssMb,
                         List<Round> rounds) {
    }

    private final Path runsDir;
    private final Settings settings;

    public ScaleBenchmark(Path runsDir, Settings settings) {
        this.runsDir = runsDir;
        this.settings = settings;
    }

    /** The profile of a size: one class of phones, Flower's fractions, synthetic data. */
    public Profile profile(int clients) {
        int fit = Math.max(1, (int) Math.ceil(settings.fractionFit() * clients));
        int evaluate = Math.max(1, (int) Math.ceil(settings.fractionEvaluate() * clients));
        String yaml = String.format(Locale.ROOT, """
                        name: bench-scale-%d
                        description: %d phones, %.0f%% of them training each round, on tiny synthetic data.
                        rounds: %d
                        devices:
                          - {name: phone, cpus: %s, memory: 1g, batch_size: 16, learning_rate: 0.001, count: %d}
                        dataset: {name: synthetic, data_percentage: 1.0, test_split: 0.2}
                        strategy: {fraction_fit: %s, min_fit_clients: %d, fraction_evaluate: %s,
                                   min_evaluate_clients: %d, min_available_clients: %d, round_timeout: 30m}
                        """, clients, clients, settings.fractionFit() * 100, settings.rounds(), CPUS, clients,
                settings.fractionFit(), fit, settings.fractionEvaluate(), evaluate, clients);
        return ProfileReader.parse("bench scale", yaml, ProfileOverrides.NONE);
    }

    /** Runs one size; {@code output} gets the run's console lines. */
    public Result run(int clients, Consumer<String> output) throws IOException, InterruptedException {
        List<String> options = List.of("--runtime", "local", "--uncalibrated", "--dataset", "synthetic",
                "--synthetic-examples", String.valueOf(clients * settings.imagesPerClient()), "--no-report",
                "--startup-timeout", "30m");
        ProfileRun run = ProfileRun.start(runsDir, "bench-scale-" + clients, "bench scale, " + clients + " clients",
                profile(clients), options, output);
        Path summaryFile = runsDir.resolve(run.runId()).resolve(RunDirectory.SUMMARY);
        JsonNode summary = Files.exists(summaryFile) ? new ObjectMapper().readTree(summaryFile.toFile())
                : new ObjectMapper().createObjectNode(); // killed before it wrote one: its rounds still count
        List<Round> rounds = new ArrayList<>();
        RoundsCsv.byRound(run.rounds()).forEach((round, rows) -> {
            int fits = 0;
            int evaluations = 0;
            double deviceSeconds = 0;
            for (RoundsCsv.Row row : rows) {
                double fit = row.number("simulated_seconds", 0);
                double evaluation = row.number("evaluate_seconds", 0);
                fits += row.text("simulated_seconds").isEmpty() ? 0 : 1;
                evaluations += row.text("evaluate_seconds").isEmpty() ? 0 : 1;
                deviceSeconds += fit + evaluation;
            }
            RoundsCsv.Row first = rows.get(0);
            rounds.add(new Round(round, first.number("round_seconds"), first.number("round_simulated_seconds"), fits,
                    evaluations, deviceSeconds * TrainingSpeed.of(CPUS)));
        });
        return new Result(clients, run.runId(), run.exitCode() == 0 && Files.exists(summaryFile), summary.path("clients_registered_after_seconds")
                .asDouble(Double.NaN), summary.path("peak_rss_mb").asLong(-1), rounds);
    }
}
