package io.flhetero.bench;

import io.flhetero.profile.BufferSpec;
import io.flhetero.profile.DeadlineSpec;
import io.flhetero.profile.PolicyName;
import io.flhetero.profile.Profile;
import io.flhetero.profile.StalenessWeight;
import io.flhetero.profile.StrategyName;
import io.flhetero.report.RoundsCsv;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code bench hetero}: one device mix trained under several ways of handling heterogeneity, each a real
 * {@code run} in its own JVM (so that runs share no memory, JIT or native state), compared from its rounds.csv
 * on time to a target accuracy, final accuracy and how clients spent their time. Time is device time: simulated
 * from CPU time in the local runtime, wall time in containers.
 */
public final class HeteroBenchmark {

    /** One way of running the mix: a change to its profile. */
    public record Approach(String key, String label, UnaryOperator<Profile> shape) {
    }

    /**
     * One finished round as the comparison sees it.
     *
     * @param seconds     the round's device time: its slowest kept client's, or the timeout
     * @param busySeconds the clients' own device time; one that failed or was dropped counts as busy for the
     *                    whole round, since it worked until it was given up on
     * @param idleSeconds the time clients that trained waited for the round to end
     */
    public record RoundPoint(int round, double accuracy, double seconds, double busySeconds, double idleSeconds) {
    }

    public record Result(Approach approach, String runId, boolean completed, List<RoundPoint> rounds) {

        public double totalSeconds() {
            return rounds.stream().mapToDouble(RoundPoint::seconds).sum();
        }

        public double finalAccuracy() {
            return rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).accuracy();
        }

        /**
         * The mean accuracy of the last quarter of the evaluations: on skewed data one round's or version's accuracy
         * swings by several points, so a single final figure ranks approaches by chance.
         */
        public double lateAccuracy() {
            List<Double> evaluated = rounds.stream().map(RoundPoint::accuracy).filter(Double::isFinite).toList();
            int n = Math.max(1, evaluated.size() / 4);
            return evaluated.isEmpty() ? Double.NaN : evaluated.subList(evaluated.size() - n, evaluated.size())
                    .stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        public double busySeconds() {
            return rounds.stream().mapToDouble(RoundPoint::busySeconds).sum();
        }

        public double idleSeconds() {
            return rounds.stream().mapToDouble(RoundPoint::idleSeconds).sum();
        }

        /** The share of the clients' time spent waiting: idle / (busy + idle). */
        public double idleShare() {
            double all = busySeconds() + idleSeconds();
            return all > 0 ? idleSeconds() / all : 0;
        }

        /** Device time until the global accuracy first reached {@code target}; empty if it never did. */
        public OptionalDouble timeTo(double target) {
            double elapsed = 0;
            for (RoundPoint r : rounds) {
                elapsed += r.seconds();
                if (r.accuracy() >= target) {
                    return OptionalDouble.of(elapsed);
                }
            }
            return OptionalDouble.empty();
        }

        /** The round in which the target was first reached; 0 if never. */
        public int roundTo(double target) {
            return rounds.stream().filter(r -> r.accuracy() >= target).mapToInt(RoundPoint::round).findFirst().orElse(0);
        }
    }

    /**
     * The approaches compared, each building on the one before: (a) the original's static table and
     * wait-for-all; (b) settings from each device's limits; (c) a round deadline with partial work; (d) FedNova's
     * normalised averaging of unequal work; (e) FedProx's proximal term instead of FedNova; (f) (b)'s settings
     * under FedBuff: no rounds, a model version every half of the clients' updates, stale ones weighted down.
     */
    public static List<Approach> approaches(DeadlineSpec deadline, double mu) {
        UnaryOperator<Profile> original = p -> p.withPolicy(PolicyName.STATIC)
                .withStrategy(p.strategy().withName(StrategyName.FEDAVG)
                .withDeadline(DeadlineSpec.NONE).withOverSelection(0).withProximalMu(0));
        UnaryOperator<Profile> capacity = p -> original.apply(p).withPolicy(PolicyName.CAPACITY);
        UnaryOperator<Profile> partial = p -> {
            Profile c = capacity.apply(p);
            return c.withStrategy(c.strategy().withDeadline(deadline));
        };
        return List.of(
                new Approach("a", "static settings, wait for all", original),
                new Approach("b", "capacity policy, wait for all", capacity),
                new Approach("c", "capacity + deadline " + deadline + ", partial work", partial),
                new Approach("d", "(c) + FedNova", p -> {
                    Profile c = partial.apply(p);
                    return c.withStrategy(c.strategy().withName(StrategyName.FEDNOVA));
                }),
                new Approach("e", "(c) + FedProx mu " + mu, p -> {
                    Profile c = partial.apply(p);
                    return c.withStrategy(c.strategy().withName(StrategyName.FEDPROX).withProximalMu(mu));
                }),
                new Approach("f", "(b) + FedBuff, a version every half of the clients' updates", p -> {
                    Profile c = capacity.apply(p);
                    BufferSpec buffer = new BufferSpec(Math.max(1, c.clients() / 2), c.clients(), 0,
                            StalenessWeight.parse("sqrt"), true, 1.0, 1);
                    // As many updates as (a)'s rounds hold: a version is half a round's.
                    return c.withRounds(c.rounds() * c.clients() / buffer.bufferSize())
                            .withStrategy(c.strategy().withBuffer(buffer));
                }));
    }

    private final Path runsDir;
    private final List<String> runOptions;

    /** @param runOptions options for every {@code run} beyond profile, runs folder and metrics port */
    public HeteroBenchmark(Path runsDir, List<String> runOptions) {
        this.runsDir = runsDir;
        this.runOptions = List.copyOf(runOptions);
    }

    /**
     * Runs the mix one way; {@code output} gets the run's console lines as they come.
     *
     * @param budget device time after which the run ends (the baseline's, so that all train as long); null: none
     */
    public Result run(Approach approach, Profile base, Duration budget, Consumer<String> output) throws IOException,
            InterruptedException {
        List<String> options = new ArrayList<>(runOptions);
        if (budget != null) {
            options.addAll(List.of("--device-time-budget", budget.toMillis() + "ms"));
        }
        ProfileRun run;
        try {
            run = ProfileRun.start(runsDir, "bench-hetero-" + approach.key(), "bench hetero, approach ("
                    + approach.key() + "): " + approach.label(), approach.shape().apply(base), options, output);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("approach (" + approach.key() + "): " + e.getMessage(), e);
        }
        return new Result(approach, run.runId(), run.exitCode() == 0, points(run.rounds()));
    }

    /** The rounds of a run, from its rounds.csv (one row per round and client). */
    static List<RoundPoint> points(Path roundsCsv) throws IOException {
        List<RoundPoint> points = new ArrayList<>();
        RoundsCsv.byRound(roundsCsv).forEach((round, clients) -> {
            double seconds = clients.get(0).number("round_simulated_seconds");
            double busy = 0;
            double idle = 0;
            for (RoundsCsv.Row c : clients) {
                String status = c.text("status");
                if (status.equals("ok") && !c.text("base_version").isEmpty()) {
                    busy += c.number("simulated_seconds"); // an update of an asynchronous run: nobody waited for it
                } else if (status.equals("ok")) {
                    // Its fit, then its evaluation (rounds.csv of older runs has no evaluation time: none).
                    double worked = Math.min(seconds, c.number("simulated_seconds") + c.number("evaluate_seconds", 0));
                    busy += worked;
                    idle += seconds - worked;
                } else if (status.equals("failed")) {
                    busy += seconds;
                }
            }
            points.add(new RoundPoint(round, clients.get(0).number("global_accuracy"), seconds, busy, idle));
        });
        return points;
    }
}
