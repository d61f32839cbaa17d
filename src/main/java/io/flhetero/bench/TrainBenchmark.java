package io.flhetero.bench;

import io.flhetero.data.ImageSet;
import io.flhetero.monitor.ProcessMemory;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Training throughput of MobileNetV2 on synthetic CIFAR-shaped data. Each (threads, batch) cell runs in a
 * fresh JVM so that OMP_NUM_THREADS applies from the start and peak RSS belongs to that cell alone.
 */
public final class TrainBenchmark {

    private final double alpha;
    private final int steps;
    private final int warmup;

    public TrainBenchmark(double alpha, int steps, int warmup) {
        this.alpha = alpha;
        this.steps = steps;
        this.warmup = warmup;
    }

    /** Runs each cell in a child JVM and reports them as they finish. */
    public List<TrainCell> run(List<Integer> threads, List<Integer> batches, java.util.function.Consumer<TrainCell> onCell)
            throws IOException, InterruptedException {
        List<TrainCell> cells = new ArrayList<>();
        for (int t : threads) {
            for (int b : batches) {
                TrainCell cell = runChild(t, b);
                cells.add(cell);
                onCell.accept(cell);
            }
        }
        return cells;
    }

    private TrainCell runChild(int threads, int batch) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TrainBenchmark.class.getName(), Double.toString(alpha), Integer.toString(threads),
                Integer.toString(batch), Integer.toString(steps), Integer.toString(warmup));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.redirectErrorStream(true);
        Process process = pb.start();
        TrainCell cell = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                TrainCell parsed = TrainCell.parse(line);
                if (parsed != null) {
                    cell = parsed;
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || cell == null) {
            throw new IllegalStateException("benchmark cell threads=" + threads + " batch=" + batch + " failed (exit "
                    + exit + "):\n" + output);
        }
        return cell;
    }

    /** Measures one cell in this JVM. */
    public TrainCell measure(int threads, int batch) {
        ComputationGraph model = MobileNetV2.forCifar10(alpha, 0.001, 42).build();
        ImageSet images = SyntheticCifar.generate(batch, 7);
        DataSet data = images.toDataSet();
        long[] stepNanos = new long[steps];
        for (int i = 0; i < warmup + steps; i++) {
            long start = System.nanoTime();
            model.fit(data);
            if (i >= warmup) {
                stepNanos[i - warmup] = System.nanoTime() - start;
            }
        }
        double stepMillis = median(stepNanos) / 1e6;
        float[] params = ParameterVector.read(model);
        double read = microsPerCall(200, i -> ParameterVector.readInto(model, params));
        double write = microsPerCall(200, i -> ParameterVector.write(model, params));
        return new TrainCell(threads, batch, batch / (stepMillis / 1000), stepMillis, ProcessMemory.peakRssMb(),
                read, write, model.numParams());
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

    /** Child entry: alpha threads batch steps warmup. */
    public static void main(String[] args) {
        TrainBenchmark bench = new TrainBenchmark(Double.parseDouble(args[0]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]));
        System.out.println(bench.measure(Integer.parseInt(args[1]), Integer.parseInt(args[2])).toLine());
        System.exit(0);
    }
}
