package io.flhetero.cli;

import io.flhetero.bench.ScaleBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code bench scale}: registration, round time and memory of runs of many in-process clients. */
@Command(mixinStandardHelpOptions = true, name = "scale", description = "Runs of many in-process clients on tiny "
        + "synthetic data (one class of 0.5-CPU phones, each size a run of its own): time until all registered, each "
        + "round's wall time against its clients' own CPU time on this host's cores, device time, peak memory.")
final class ScaleCommand implements Callable<Integer> {

    @Option(names = "--clients", split = ",", defaultValue = "100,1000,10000", paramLabel = "N,...",
            description = "Numbers of clients, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds per run (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--fraction-fit", defaultValue = "0.1", paramLabel = "F",
            description = "Share of the clients that train each round (default: ${DEFAULT-VALUE}).")
    double fractionFit;

    @Option(names = "--fraction-evaluate", defaultValue = "0.1", paramLabel = "F",
            description = "Share that evaluate each round's model (default: ${DEFAULT-VALUE}).")
    double fractionEvaluate;

    @Option(names = "--images-per-client", defaultValue = "25", paramLabel = "N",
            description = "Images each client holds, a fifth of them for testing (default: ${DEFAULT-VALUE}).")
    int imagesPerClient;

    @Option(names = "--runs-dir", defaultValue = "runs", description = "Where the runs go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Override
    public Integer call() throws Exception {
        if (clients.isEmpty() || clients.stream().anyMatch(n -> n < 1)) {
            throw new BadInputException("--clients: give one or more numbers of clients, each 1 or more");
        }
        if (rounds < 1) {
            throw new BadInputException("--rounds must be 1 or more, got " + rounds);
        }
        if (!(fractionFit > 0 && fractionFit <= 1) || !(fractionEvaluate > 0 && fractionEvaluate <= 1)) {
            throw new BadInputException("--fraction-fit and --fraction-evaluate must be in (0, 1]");
        }
        if (imagesPerClient < 5) {
            throw new BadInputException("--images-per-client must be 5 or more (a fifth of them are for testing), got "
                    + imagesPerClient);
        }
        PrintStream out = System.out;
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "bench scale: %s clients, %d rounds, fraction_fit %s, fraction_evaluate %s, %d images "
                        + "per client (synthetic), in-process on %d cores; each size a run of its own%n",
                clients.stream().map(String::valueOf).collect(Collectors.joining(", ")), rounds, fractionFit,
                fractionEvaluate, imagesPerClient, cores);
        ScaleBenchmark bench = new ScaleBenchmark(runsDir, new ScaleBenchmark.Settings(rounds, fractionFit,
                fractionEvaluate, imagesPerClient));
        List<ScaleBenchmark.Result> results = new ArrayList<>();
        for (int n : clients) {
            out.printf(Locale.ROOT, "%,d clients:%n", n);
            ScaleBenchmark.Result result = bench.run(n, line -> out.println("    " + line));
            results.add(result);
            if (!result.completed()) {
                out.printf("%,d clients: the run did not complete (run %s): the benchmark stops here%n", n,
                        result.runId());
                print(out, results, cores);
                return ExitCode.FAILED;
            }
        }
        print(out, results, cores);
        return ExitCode.OK;
    }

    private static void print(PrintStream out, List<ScaleBenchmark.Result> results, int cores) {
        out.println();
        out.printf("%8s %11s %6s %7s %12s %12s %12s %9s %10s%n", "clients", "registered", "round", "trained",
                "round wall", "clients' CPU", "wall/(CPU/" + cores + ")", "device", "peak RSS");
        for (ScaleBenchmark.Result r : results) {
            boolean first = true; // the size's own figures go on its first row
            for (ScaleBenchmark.Round round : r.rounds()) {
                out.printf(Locale.ROOT, "%8s %11s %6d %7d %10.1f s %10.1f s %12.2f %7.2f s %10s%n",
                        first ? String.format(Locale.ROOT, "%,d", r.clients()) : "",
                        first ? String.format(Locale.ROOT, "%.1f s", r.registeredSeconds()) : "", round.round(),
                        round.fits(), round.wallSeconds(), round.workCpuSeconds(), round.overhead(cores),
                        round.deviceSeconds(), first && r.peakRssMb() >= 0
                                ? String.format(Locale.ROOT, "%,d MB", r.peakRssMb()) : "");
                first = false;
            }
        }
        out.println("clients' CPU: the CPU time of the round's fits and evaluations themselves; wall/(CPU/cores) is the "
                + "round's wall time against that work spread over this host's cores (1.0: nothing but the work)");
    }
}
