package io.flhetero.cli;

import io.flhetero.bench.RoundBenchmark;
import io.flhetero.bench.TrainBenchmark;
import io.flhetero.bench.TrainCell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bench ...}: benchmarks that print figures. */
@Command(mixinStandardHelpOptions = true, name = "bench", description = "Benchmarks that print figures.", subcommands = {BenchCommand.Train.class, BenchCommand.Rounds.class, HeteroCommand.class, CalibrateCommand.class, ScaleCommand.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: fl-hetero bench train|rounds|hetero|calibrate|scale [--help]");
    }

    @Command(mixinStandardHelpOptions = true, name = "train", description = "Training and evaluation throughput of "
            + "MobileNetV2 on synthetic data, per engine, thread count and batch size, with peak memory and the cost of "
            + "reading and writing parameters.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--engines", split = ",", defaultValue = "fused,graph", description = "fused (what clients "
                + "train with), graph (DL4J's own layers, the reference) (default: ${DEFAULT-VALUE}).")
        List<String> engines;

        @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "ND4J/OMP threads (default: ${DEFAULT-VALUE}).")
        List<Integer> threads;

        @Option(names = "--batch-sizes", split = ",", defaultValue = "32,64,128,256",
                description = "Batch sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> batches;

        @Option(names = "--steps", defaultValue = "10", description = "Timed steps per cell (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--alpha", defaultValue = "0.1", description = "MobileNetV2 width (default: ${DEFAULT-VALUE}).")
        double alpha;

        @Option(names = "--profile", description = "Also print where the fused engine's training step goes, by kind of "
                + "operation.")
        boolean profile;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || warmup < 0 || threads.stream().anyMatch(t -> t < 1) || batches.stream().anyMatch(b -> b < 1)) {
                throw new BadInputException("--steps, --threads and --batch-sizes must be 1 or more, --warmup 0 or more");
            }
            for (String engine : engines) {
                if (!TrainBenchmark.ENGINES.contains(engine)) {
                    throw new BadInputException("--engines: unknown engine '" + engine + "'; use "
                            + String.join(" or ", TrainBenchmark.ENGINES));
                }
            }
            System.out.printf(Locale.ROOT, "bench train: MobileNetV2 alpha %s, 32x32x3 synthetic images, 10 classes, "
                    + "Adam; median of %d steps after %d warm-up, each cell in its own JVM%n", alpha, steps, warmup);
            System.out.printf("%-7s %-8s %-6s %10s %10s %12s %12s%n", "engine", "threads", "batch", "train img/s",
                    "step ms", "eval img/s", "peak RSS MB");
            List<TrainCell> cells = new TrainBenchmark(alpha, steps, warmup, profile).run(engines, threads, batches, c -> {
                System.out.printf(Locale.ROOT, "%-7s %-8d %-6d %10.1f %10.1f %12.1f %12d%n", c.engine(), c.threads(),
                        c.batch(), c.imagesPerSecond(), c.stepMillis(), c.evalImagesPerSecond(), c.peakRssMb());
                TrainBenchmark.profileLines(c).forEach(System.out::println);
            });
            TrainCell first = cells.get(0);
            System.out.printf(Locale.ROOT, "parameters: %,d floats (%,d bytes); read %.0f us, write %.0f us "
                            + "(median of 200, fast path)%n", first.parameters(), first.parameters() * 4,
                    cells.stream().mapToDouble(TrainCell::paramReadMicros).min().orElse(0),
                    cells.stream().mapToDouble(TrainCell::paramWriteMicros).min().orElse(0));
            return ExitCode.OK;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "rounds", description = "The coordinator's own cost per round (messages, transfer, aggregation) "
            + "for 2, 10 and 100 in-process clients, and its share of a real round of the default profile.")
    static final class Rounds implements Callable<Integer> {
        @Option(names = "--clients", split = ",", defaultValue = "2,10,100",
                description = "Client counts (default: ${DEFAULT-VALUE}).")
        List<Integer> clients;

        @Option(names = "--rounds", defaultValue = "20", description = "Timed rounds per count (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--real-data-percentage", defaultValue = "0.05", paramLabel = "X",
                description = "Data share of the real default-profile round (default: ${DEFAULT-VALUE}; the "
                        + "profile's own 0.6 gives 12x longer rounds, so the share printed is an upper bound).")
        double realDataPercentage;

        @Override
        public Integer call() throws Exception {
            if (rounds < 1 || clients.stream().anyMatch(c -> c < 1) || !(realDataPercentage > 0 && realDataPercentage <= 1)) {
                throw new BadInputException("--rounds and --clients must be 1 or more, --real-data-percentage in (0, 1]");
            }
            RoundBenchmark bench = new RoundBenchmark(rounds);
            System.out.printf(Locale.ROOT, "bench rounds: MobileNetV2 alpha 0.1 (106,122 parameters), FedAvg, "
                    + "in-process event bus; median of %d rounds after %d warm-up%n", rounds, RoundBenchmark.WARMUP_ROUNDS);
            System.out.printf("%-8s %16s %14s %22s%n", "clients", "round ms", "aggregate ms", "wire enc+dec ms");
            double twoClients = Double.NaN;
            for (int n : clients) {
                RoundBenchmark.Overhead o = bench.overhead(n);
                if (n == 2) {
                    twoClients = o.roundMillis();
                }
                System.out.printf(Locale.ROOT, "%-8d %16.2f %14.2f %22.2f%n", n, o.roundMillis(), o.aggregateMillis(),
                        o.wireMillis());
            }
            System.out.println("round ms: a whole round (fit, aggregate, evaluate) with clients that answer at once;"
                    + " wire: what a clustered bus adds per round to encode and decode every client's parameters");
            if (Double.isFinite(twoClients)) {
                RoundBenchmark.RealRound real = bench.realRound(realDataPercentage, twoClients);
                System.out.printf(Locale.ROOT, "default profile, one real round at data %.2f: %.1f s; coordinator "
                                + "overhead %.2f ms = %.4f %% of the round (less at the profile's own data share)%n",
                        real.dataPercentage(), real.roundSeconds(), real.overheadMillis(), real.share() * 100);
            }
            return ExitCode.OK;
        }
    }
}
