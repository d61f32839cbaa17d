package io.flhetero.cli;

import io.flhetero.bench.HeteroBenchmark;
import io.flhetero.profile.DeadlineSpec;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/** {@code bench hetero}: the straggler mix under the original's approach and under fl-hetero's, side by side. */
@Command(mixinStandardHelpOptions = true, name = "hetero", description = "Train one device mix under several ways "
        + "of handling heterogeneity - (a) static settings, wait for all; (b) capacity policy; (c) + deadline with "
        + "partial work; (d) + FedNova; (e) (c) + FedProx; (f) (b) + FedBuff - and compare time to a target accuracy, final accuracy, "
        + "and busy and idle client time. Device time: simulated in-process, wall time in containers.")
final class HeteroCommand implements Callable<Integer> {

    @Option(names = {"-p", "--profile"}, defaultValue = "stragglers", paramLabel = "NAME|FILE",
            description = "Device mix (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--rounds", description = "Rounds of the first approach, the baseline (default: the profile's).")
    Integer rounds;

    @Option(names = "--max-rounds-factor", defaultValue = "3", paramLabel = "F", description = "The other approaches "
            + "train for the baseline's device time, in at most F times its rounds (default: ${DEFAULT-VALUE}).")
    int maxRoundsFactor;

    @Option(names = "--data-percentage", paramLabel = "X", description = "Override the profile's data share.")
    Double dataPercentage;

    @Mixin
    DataOptions data;

    @Option(names = "--approaches", split = ",", defaultValue = "a,b,c,d,e,f", paramLabel = "KEYS",
            description = "Which approaches to run, in order; (a) is the baseline (default: ${DEFAULT-VALUE}).")
    List<String> approaches;

    @Option(names = "--target", paramLabel = "ACCURACY", description = "Target accuracy (default: 90%% of the "
            + "final accuracy of the first approach run).")
    Double target;

    @Option(names = "--deadline", defaultValue = "p50*1.5", description = "Deadline of (c), (d) and (e) "
            + "(default: ${DEFAULT-VALUE}).")
    String deadline;

    @Option(names = "--mu", defaultValue = "0.01", description = "FedProx's mu for (e) (default: ${DEFAULT-VALUE}).")
    double mu;

    @Option(names = "--runtime", defaultValue = "local", paramLabel = "local|docker",
            description = "In-process with simulated device time, or containers with real limits and wall time "
                    + "(default: ${DEFAULT-VALUE}).")
    String runtime;

    @Mixin
    ClientImageOption clientImage;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
            description = "Where each approach's run directory goes (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Profile base = ProfileCatalog.inWorkingDirectory().find(profile)
                .parse(new ProfileOverrides(rounds, null, dataPercentage, data.dataset));
        List<HeteroBenchmark.Approach> chosen = choose(parseDeadline());
        if (maxRoundsFactor < 1) {
            throw new BadInputException("--max-rounds-factor must be 1 or more, got " + maxRoundsFactor);
        }
        if (target != null && !(target > 0 && target <= 1)) {
            throw new BadInputException("--target must be an accuracy in (0, 1], got " + target);
        }
        List<String> runOptions = new ArrayList<>(data.asRunOptions());
        switch (runtime) {
            case "local" -> runOptions.addAll(List.of("--runtime", "local"));
            case "docker" -> runOptions.addAll(List.of("--runtime", "docker", "--fit-to-host", "--no-monitoring",
                    "--client-image", clientImage.image()));
            default -> throw new BadInputException("--runtime must be local or docker, got '" + runtime + "'");
        }
        out.printf(Locale.ROOT, "bench hetero: profile %s (%d clients, %d rounds, data %s), %s runtime, time is %s; "
                        + "each approach is a run of its own%n", base.name(), base.clients(), base.rounds(),
                base.dataset().dataPercentage(), runtime, runtime.equals("local") ? "simulated device time" : "wall time");

        HeteroBenchmark bench = new HeteroBenchmark(runsDir, runOptions);
        List<HeteroBenchmark.Result> results = new ArrayList<>();
        Duration budget = null;
        for (HeteroBenchmark.Approach a : chosen) {
            Profile mix = budget == null ? base : base.withRounds(base.rounds() * maxRoundsFactor);
            out.printf(Locale.ROOT, "(%s) %s%s%n", a.key(), a.label(), budget == null ? ", the baseline"
                    : String.format(Locale.ROOT, ": for the baseline's %.1f s of device time, at most %d rounds",
                    budget.toMillis() / 1e3, mix.rounds()));
            HeteroBenchmark.Result result = bench.run(a, mix, budget, line -> out.println("    " + line));
            if (!result.completed() || result.rounds().isEmpty()) {
                out.printf("(%s) did not complete (run %s): the comparison stops here%n", a.key(), result.runId());
                return ExitCode.FAILED;
            }
            results.add(result);
            if (budget == null) {
                budget = Duration.ofMillis(Math.round(result.totalSeconds() * 1000));
            }
        }
        print(out, results);
        ReportCommand.writeOrWarn(results.stream().map(r -> runsDir.resolve(r.runId())).toList(),
                results.stream().map(r -> "(" + r.approach().key() + ") " + r.approach().label()).toList(),
                runsDir.resolve("bench-hetero-" + results.get(0).runId() + ".html"), out);
        return ExitCode.OK;
    }

    private DeadlineSpec parseDeadline() {
        try {
            DeadlineSpec d = DeadlineSpec.parse(deadline);
            if (d == DeadlineSpec.NONE) {
                throw new IllegalArgumentException("none");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--deadline: '" + deadline + "' is not a deadline; give a duration such as 45s "
                    + "or pP*F such as p50*1.5");
        }
    }

    private List<HeteroBenchmark.Approach> choose(DeadlineSpec d) {
        if (!(mu > 0)) {
            throw new BadInputException("--mu must be above 0, got " + mu);
        }
        List<HeteroBenchmark.Approach> all = HeteroBenchmark.approaches(d, mu);
        List<HeteroBenchmark.Approach> chosen = new ArrayList<>();
        for (String key : approaches) {
            chosen.add(all.stream().filter(a -> a.key().equals(key.trim())).findFirst().orElseThrow(() ->
                    new BadInputException("--approaches: '" + key + "' is not one of a, b, c, d, e, f")));
        }
        if (chosen.isEmpty()) {
            throw new BadInputException("--approaches: name at least one of a, b, c, d, e, f");
        }
        return chosen;
    }

    private void print(PrintStream out, List<HeteroBenchmark.Result> results) {
        HeteroBenchmark.Result baseline = results.get(0);
        double goal = target != null ? target : 0.9 * baseline.finalAccuracy();
        out.printf(Locale.ROOT, "%ntarget accuracy %.4f (%s)%n", goal, target != null ? "--target"
                : "90% of (" + baseline.approach().key() + ")'s final accuracy");
        out.println("| approach | time to target | speed-up | final accuracy | vs baseline | last-quarter mean | rounds | "
                + "total time | client busy | client idle | idle share |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        OptionalDouble baseTime = baseline.timeTo(goal);
        for (HeteroBenchmark.Result r : results) {
            OptionalDouble t = r.timeTo(goal);
            String speedUp = t.isPresent() && baseTime.isPresent() ? String.format(Locale.ROOT, "%.2fx",
                    baseTime.getAsDouble() / t.getAsDouble()) : "-";
            out.printf(Locale.ROOT, "| (%s) %s | %s | %s | %.4f | %+.1f pt | %.4f | %d | %.1f s | %.1f s | %.1f s | "
                            + "%.0f%% |%n",
                    r.approach().key(), r.approach().label(),
                    t.isPresent() ? String.format(Locale.ROOT, "%.1f s (round %d)", t.getAsDouble(), r.roundTo(goal))
                            : "not reached",
                    speedUp, r.finalAccuracy(), (r.finalAccuracy() - baseline.finalAccuracy()) * 100,
                    r.lateAccuracy(), r.rounds().size(),
                    r.totalSeconds(),
                    r.busySeconds(), r.idleSeconds(), r.idleShare() * 100);
        }
        out.println("last-quarter mean: the mean accuracy of the last quarter of the evaluations (one round's swings by "
                + "points on skewed data); time: device time of the rounds (the slowest kept client's fit, then the "
                + "slowest evaluation); busy: the "
                + "clients' own device time; idle: time clients waited for the round to end; run directories under "
                + runsDir + ": " + String.join(", ", results.stream().map(HeteroBenchmark.Result::runId).toList()));
    }
}
