package io.flhetero.bench;

import io.flhetero.bench.CalibrationBenchmark.Times;
import io.flhetero.runtime.local.DeviceCalibration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationBenchmarkTest {

    @Test
    void ratiosComeFromTheWarmRoundsAndWarmUpFromTheEarlierOnes() {
        Map<String, Double> cpus = Map.of("client1", 0.5, "client2", 1.0);
        // In-process, every round: fit 2 s / 1 s, evaluation 1 s / 0.5 s.
        List<Times> local = List.of(1, 2, 3, 4).stream().flatMap(r -> List.of(
                new Times(r, "client1", 2, 1, 0), new Times(r, "client2", 1, 0.5, 0)).stream()).toList();
        // Containers, warm (rounds 3 and 4): fits 1.5x, evaluations 1.2x. Round 1 has 1 s (one full CPU) of
        // warm-up on each fit and 0.5 s on each evaluation, round 2 a tenth of that; at half a CPU it takes twice
        // as long.
        List<Times> containers = List.of(
                new Times(1, "client1", 3 + 2, 1.2 + 1, 0), new Times(1, "client2", 1.5 + 1, 0.6 + 0.5, 0),
                new Times(2, "client1", 3 + 0.2, 1.2 + 0.1, 0), new Times(2, "client2", 1.5 + 0.1, 0.6 + 0.05, 0),
                new Times(3, "client1", 3, 1.2, 0), new Times(3, "client2", 1.5, 0.6, 0),
                new Times(4, "client1", 3, 1.2, 0), new Times(4, "client2", 1.5, 0.6, 0));

        DeviceCalibration c = CalibrationBenchmark.fit(cpus, containers, local, "host", "jar", "today");
        assertArrayEquals(new double[] {0.5, 1.0}, c.cpus());
        assertArrayEquals(new double[] {1.5, 1.5}, c.fitRatio(), 1e-9);
        assertArrayEquals(new double[] {1.2, 1.2}, c.evaluateRatio(), 1e-9);
        assertArrayEquals(new double[] {1.0, 0.1}, c.fitWarmup(), 1e-9);
        assertArrayEquals(new double[] {0.5, 0.05}, c.evaluateWarmup(), 1e-9);

        String table = CalibrationBenchmark.table(cpus, containers, local, local);
        assertTrue(table.contains("| 1 | client1 (0.5 CPU) | 5.00 s | 2.00 s (-60 %) |"), table);
        assertTrue(table.contains("largest error from round 2"), table);
    }
}
