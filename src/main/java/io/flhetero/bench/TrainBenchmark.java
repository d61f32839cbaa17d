package io.flhetero.bench;

import io.flhetero.data.ImageSet;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.jvm.ProcessMemory;
import io.flhetero.model.GraphNetwork;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.Network;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.model.fused.OperationTimes;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Training and evaluation throughput of MobileNetV2 on synthetic CIFAR-shaped data, per engine: {@code fused} (what
 * clients train with) and {@code graph} (DL4J's own layers). Each cell runs in a fresh JVM so that OMP_NUM_THREADS
 * applies from the start and peak RSS belongs to that cell alone.
 */
public final class TrainBenchmark {

    /** The engines, as {@code --engines} names them. */
    public static final List<String> ENGINES = List.of("fused", "graph");

    private final double alpha;
    private final int steps;
    private final int warmup;
    private final boolean profile;

    public TrainBenchmark(double alpha, int steps, int warmup, boolean profile) {
        this.alpha = alpha;
        this.steps = steps;
        this.warmup = warmup;
        this.profile = profile;
    }

    /** Runs each cell in a child JVM and reports them as they finish. */
    public List<TrainCell> run(List<String> engines, List<Integer> threads, List<Integer> batches,
                               Consumer<TrainCell> onCell) throws IOException, InterruptedException {
        List<TrainCell> cells = new ArrayList<>();
        for (int t : threads) {
            for (int b : batches) {
                for (String engine : engines) {
                    TrainCell cell = runChild(engine, t, b);
                    cells.add(cell);
                    onCell.accept(cell);
                }
            }
        }
        return cells;
    }

    private TrainCell runChild(String engine, int threads, int batch) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TrainBenchmark.class.getName(), engine, Double.toString(alpha), Integer.toString(threads),
                Integer.toString(batch), Integer.toString(steps), Integer.toString(warmup), Boolean.toString(profile));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.redirectErrorStream(true);
        Process process = pb.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                output.add(line);
            }
        }
        int exit = process.waitFor();
        TrainCell cell = TrainCell.parse(output);
        if (exit != 0 || cell == null) {
            throw new IllegalStateException("benchmark cell " + engine + " threads=" + threads + " batch=" + batch
                    + " failed (exit " + exit + "):\n" + String.join("\n", output));
        }
        return cell;
    }

    /** Measures one cell in this JVM. */
    public TrainCell measure(String engine, int threads, int batch) {
        ComputationGraph graph = MobileNetV2.forCifar10(alpha, 0.001, 42).build();
        Network network = switch (engine) {
            case "fused" -> new FusedNetwork(graph, MobileNetV2.HEIGHT, MobileNetV2.WIDTH, MobileNetV2.CHANNELS);
            case "graph" -> new GraphNetwork(graph);
            default -> throw new IllegalArgumentException("unknown engine " + engine + "; use one of " + ENGINES);
        };
        ImageSet images = SyntheticCifar.generate(batch, 7);
        DataSet data = images.toDataSet();
        OperationTimes times = null;
        long[] stepNanos = new long[steps];
        for (int i = 0; i < warmup + steps; i++) {
            if (i == warmup && profile && network instanceof FusedNetwork fused) {
                times = fused.startTiming();
            }
            long start = System.nanoTime();
            network.fit(data.getFeatures(), data.getLabels());
            if (i >= warmup) {
                stepNanos[i - warmup] = System.nanoTime() - start;
            }
        }
        long peakRss = ProcessMemory.peakRssMb();
        OperationTimes evalTimes = null;
        long[] evalNanos = new long[steps];
        // Evaluation warms up longer: its Java code has not run yet, while training's has for warmup + steps steps.
        int evalWarmup = warmup + steps;
        for (int i = 0; i < evalWarmup + steps; i++) {
            if (network instanceof FusedNetwork fused && times != null && i == 0) {
                fused.stopTiming();
            }
            if (network instanceof FusedNetwork fused && times != null && i == evalWarmup) {
                evalTimes = fused.startTiming();
            }
            long start = System.nanoTime();
            network.output(data.getFeatures());
            if (i >= evalWarmup) {
                evalNanos[i - evalWarmup] = System.nanoTime() - start;
            }
        }
        double stepMillis = median(stepNanos) / 1e6;
        double evalMillis = median(evalNanos) / 1e6;
        float[] params = ParameterVector.read(graph);
        double read = microsPerCall(200, i -> ParameterVector.readInto(graph, params));
        double write = microsPerCall(200, i -> ParameterVector.write(graph, params));
        Map<String, Double> profileMillis = new LinkedHashMap<>();
        if (times != null) {
            times.nanos().forEach((kind, nanos) -> profileMillis.put(kind, nanos / 1e6 / steps));
            evalTimes.nanos().forEach((kind, nanos) -> profileMillis.put(kind, nanos / 1e6 / steps));
        }
        return new TrainCell(engine, threads, batch, batch / (stepMillis / 1000), stepMillis,
                batch / (evalMillis / 1000), peakRss, read, write, graph.numParams(), profileMillis);
    }

    private static double microsPerCall(int calls, IntConsumer call) {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        return median(nanos) / 1e3;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** Child entry: engine alpha threads batch steps warmup profile. */
    public static void main(String[] args) {
        TrainBenchmark bench = new TrainBenchmark(Double.parseDouble(args[1]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Boolean.parseBoolean(args[6]));
        System.out.println(bench.measure(args[0], Integer.parseInt(args[2]), Integer.parseInt(args[3])).toLines());
        System.exit(0);
    }

    /**
     * Formats a profile as lines of "ms share kind", training step then evaluation batch, largest first; the share is
     * of the step's or the evaluation's time.
     */
    public static List<String> profileLines(TrainCell cell) {
        List<String> lines = new ArrayList<>();
        for (boolean inference : new boolean[] {false, true}) {
            Map<String, Double> part = new LinkedHashMap<>();
            cell.profileMillis().forEach((kind, ms) -> {
                if (kind.endsWith(" inference") == inference) {
                    part.put(kind, ms);
                }
            });
            double total = part.values().stream().mapToDouble(Double::doubleValue).sum();
            part.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> lines.add(String.format(Locale.ROOT, "    %8.2f ms %5.1f %%  %s", e.getValue(),
                            100 * e.getValue() / total, e.getKey())));
        }
        return lines;
    }
}
