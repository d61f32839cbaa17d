package io.flhetero.cli;

import io.flhetero.bench.TrainBenchmark;
import io.flhetero.bench.TrainCell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bench ...}: benchmarks that print figures. */
@Command(name = "bench", description = "Benchmarks that print figures.", subcommands = {BenchCommand.Train.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: fl-hetero bench train [--help]");
    }

    @Command(name = "train", description = "Training throughput of MobileNetV2 on synthetic data, per thread count "
            + "and batch size, with peak memory and the cost of reading and writing parameters.")
    static final class Train implements Callable<Integer> {
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

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || warmup < 0 || threads.stream().anyMatch(t -> t < 1) || batches.stream().anyMatch(b -> b < 1)) {
                throw new BadInputException("--steps, --threads and --batch-sizes must be 1 or more, --warmup 0 or more");
            }
            System.out.printf(Locale.ROOT, "bench train: MobileNetV2 alpha %s, 32x32x3 synthetic images, 10 classes, "
                    + "Adam; median of %d steps after %d warm-up, each cell in its own JVM%n", alpha, steps, warmup);
            System.out.printf("%-8s %-6s %10s %10s %12s%n", "threads", "batch", "img/s", "step ms", "peak RSS MB");
            List<TrainCell> cells = new TrainBenchmark(alpha, steps, warmup).run(threads, batches, c ->
                    System.out.printf(Locale.ROOT, "%-8d %-6d %10.1f %10.1f %12d%n", c.threads(), c.batch(),
                            c.imagesPerSecond(), c.stepMillis(), c.peakRssMb()));
            TrainCell first = cells.get(0);
            System.out.printf(Locale.ROOT, "parameters: %,d floats (%,d bytes); read %.0f us, write %.0f us "
                            + "(median of 200, fast path)%n", first.parameters(), first.parameters() * 4,
                    cells.stream().mapToDouble(TrainCell::paramReadMicros).min().orElse(0),
                    cells.stream().mapToDouble(TrainCell::paramWriteMicros).min().orElse(0));
            return ExitCode.OK;
        }
    }
}
