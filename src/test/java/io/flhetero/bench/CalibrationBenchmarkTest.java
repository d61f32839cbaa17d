package io.flhetero.bench;

import io.flhetero.bench.CalibrationBenchmark.Times;
import io.flhetero.runtime.local.DeviceCalibration;
import io.flhetero.runtime.local.WorkCost;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationBenchmarkTest {

    @Test
    void aLineThroughBatchesAndImages() {
        // 0.1 s a batch + 0.01 s an image, exactly.
        double[] line = WorkCost.fitLine(new double[][] {{10, 160, 2.6}, {5, 320, 3.7}, {20, 320, 5.2}});
        assertEquals(0.1, line[0], 1e-9);
        assertEquals(0.01, line[1], 1e-9);
        assertArrayEquals(new double[] {0, 0.02}, WorkCost.fitLine(new double[][] {{1, 100, 2}, {2, 200, 4}}), 1e-9,
                "batches in proportion to images: all per image");
    }

    @Test
    void costsComeFromInProcessCpuTimeRatiosAndWarmUpFromTheContainers() {
        Map<String, Double> cpus = Map.of("client1", 0.5, "client2", 1.0);
        // In-process (device time = CPU time / share): training 0.1 s a batch + 0.01 s an image, evaluation
        // 0.05 s a batch + 0.002 s an image. client1: 10 steps of 16 (160 images), 100 test images in batches of
        // 16 (7); client2: 5 steps of 64 (320), 100 test images in batches of 64 (2).
        double fit1 = (1.0 + 1.6) / 0.5;
        double eval1 = (0.35 + 0.2) / 0.5;
        double fit2 = 0.5 + 3.2;
        double eval2 = 0.1 + 0.2;
        List<Times> local = new ArrayList<>();
        List<Times> containers = new ArrayList<>();
        for (int r = 1; r <= 4; r++) {
            local.add(new Times(r, "client1", fit1, eval1, 0, 10, 160, 16, 100));
            local.add(new Times(r, "client2", fit2, eval2, 0, 5, 320, 64, 100));
            // Containers, warm (rounds 3 and 4): fits 1.5x, evaluations 1.2x. Round 1 adds 1 s (at one full CPU) to
            // each fit and 0.5 s to each evaluation, round 2 a tenth of that; at half a CPU, twice as long.
            double w = r == 1 ? 1 : r == 2 ? 0.1 : 0;
            containers.add(new Times(r, "client1", 1.5 * fit1 + 2 * w, 1.2 * eval1 + w, 0, 10, 160, 16, 100));
            containers.add(new Times(r, "client2", 1.5 * fit2 + w, 1.2 * eval2 + w / 2, 0, 5, 320, 64, 100));
        }

        DeviceCalibration c = CalibrationBenchmark.fit(cpus, containers, local, "host", "jar", "today",
                "mine");
        assertEquals(0.1, c.cost().trainPerBatch(), 1e-9);
        assertEquals(0.01, c.cost().trainPerImage(), 1e-9);
        assertEquals(0.05, c.cost().evaluatePerBatch(), 1e-9);
        assertEquals(0.002, c.cost().evaluatePerImage(), 1e-9);
        assertArrayEquals(new double[] {0.5, 1.0}, c.cpus());
        assertEquals(1.5, c.mixCpus(), 1e-12);
        assertTrue(c.mix().startsWith("mine ("), c.mix());
        assertArrayEquals(new double[] {1.5, 1.5}, c.fitRatio(), 1e-9);
        assertArrayEquals(new double[] {1.2, 1.2}, c.evaluateRatio(), 1e-9);
        assertArrayEquals(new double[] {2.0, 0.2}, c.fitWarmup()[0], 1e-9, "at half a CPU");
        assertArrayEquals(new double[] {1.0, 0.1}, c.fitWarmup()[1], 1e-9, "at one CPU");
        assertArrayEquals(new double[] {1.0, 0.1}, c.evaluateWarmup()[0], 1e-9);
        assertArrayEquals(new double[] {0.5, 0.05}, c.evaluateWarmup()[1], 1e-9);

        String table = CalibrationBenchmark.table(cpus, containers, List.of(), local, local);
        assertTrue(table.contains(String.format(Locale.ROOT, "| 1 | client1 (0.5 CPU) | %.2f s | - | %.2f s (",
                1.5 * fit1 + 2, fit1)),
                table);
        assertTrue(table.contains("largest error from round 2"), table);
    }

    @Test
    void theFitTakesTheMedianOfContainerRunsPerRoundAndClient() {
        List<Times> run1 = List.of(times(1, "client1", 3, 1), times(1, "client2", 5, 2));
        List<Times> run2 = List.of(times(1, "client1", 1, 3), times(1, "client2", 6, 2));
        List<Times> run3 = List.of(times(1, "client1", 2, 2)); // client2's fit failed in this run

        List<Times> median = CalibrationBenchmark.median(List.of(run1, run2, run3));

        assertEquals(2, median.size());
        assertEquals(2, median.get(0).fit(), 1e-9, "middle of 3, 1, 2");
        assertEquals(2, median.get(0).evaluate(), 1e-9);
        assertEquals(5.5, median.get(1).fit(), 1e-9, "mean of the middle two: the runs that have it");
        assertEquals(10, median.get(1).steps(), "work is the same in every run");
        assertEquals(List.of(), CalibrationBenchmark.median(List.of()));
    }

    @Test
    void theTableSetsTheModelBesideTheContainersOwnSpread() {
        Map<String, Double> cpus = Map.of("client1", 0.5);
        List<Times> judged = List.of(times(1, "client1", 10, 4), times(2, "client1", 5, 2));
        List<Times> others = List.of(times(1, "client1", 11, 4), times(2, "client1", 4, 2));
        List<Times> before = List.of(times(1, "client1", 5, 2), times(2, "client1", 4, 1));
        List<Times> after = List.of(times(1, "client1", 9, 4), times(2, "client1", 5.25, 2));

        String table = CalibrationBenchmark.table(cpus, judged, others, before, after);

        assertTrue(table.contains("| 1 | client1 (0.5 CPU) | 10.00 s | 11.00 s (+10 %) | 5.00 s (-50 %) "
                + "| 9.00 s (-10 %) | 4.00 s | 4.00 s (+0 %) | 2.00 s (-50 %) | 4.00 s (+0 %) |"), table);
        assertTrue(table.contains("| 1 | 14.00 s | 15.00 s (+7 %) | 7.00 s (-50 %) | 13.00 s (-7 %) |"), table);
        assertTrue(table.contains("| 2 | 7.00 s | 6.00 s (-14 %) | 5.00 s (-29 %) | 7.25 s (+4 %) |"), table);
        assertTrue(table.contains("largest error from round 1 (uncalibrated -> calibrated; other container runs in "
                + "brackets): fit 50 % -> 10 % [20 %], evaluation 50 % -> 0 % [0 %], round 50 % -> 7 % [14 %]"), table);
        assertTrue(table.contains("largest error from round 2 (uncalibrated -> calibrated; other container runs in "
                + "brackets): fit 20 % -> 5 % [20 %], evaluation 50 % -> 0 % [0 %], round 29 % -> 4 % [14 %]"), table);
        assertTrue(table.contains("within 10 % from round 1 (uncalibrated -> calibrated; other container runs in "
                + "brackets): fit 0 -> 2 of 2 [1], evaluation 0 -> 2 of 2 [2], round 0 -> 2 of 2 [1]"), table);
        String oneRound = CalibrationBenchmark.table(cpus, judged.subList(0, 1), others, before, after);
        assertTrue(oneRound.contains("largest error from round 1") && !oneRound.contains("from round 2"), oneRound);
        String alone = CalibrationBenchmark.table(cpus, judged, List.of(), before, after);
        assertTrue(alone.contains("| 1 | client1 (0.5 CPU) | 10.00 s | - | 5.00 s (-50 %) |"), alone);
        assertTrue(alone.contains("largest error from round 1 (uncalibrated -> calibrated): fit 50 % -> 10 %,"), alone);
        assertTrue(alone.contains("within 10 % from round 1 (uncalibrated -> calibrated): fit 0 -> 2 of 2, "), alone);
    }

    @Test
    void roundsAreCountedOnceEachAndAFigureIsWithinAtTheWholePercentItPrints() {
        Map<String, Double> cpus = Map.of("client1", 0.5, "client2", 1.0);
        List<Times> judged = List.of(times(1, "client1", 10, 4), times(1, "client2", 5, 2));
        List<Times> after = List.of(times(1, "client1", 11.04, 4), times(1, "client2", 5.53, 2));

        String table = CalibrationBenchmark.table(cpus, judged, List.of(), after, after);

        assertTrue(table.contains("| 1 | client1 (0.5 CPU) | 10.00 s | - | 11.04 s (+10 %) |"), table);
        assertTrue(table.contains("| 1 | client2 (1.0 CPU) | 5.00 s | - | 5.53 s (+11 %) |"), table);
        assertTrue(table.contains("within 10 % from round 1 (uncalibrated -> calibrated): fit 1 -> 1 of 2, "
                + "evaluation 2 -> 2 of 2, round 1 -> 1 of 1"), table);
    }

    private static Times times(int round, String client, double fit, double evaluate) {
        return new Times(round, client, fit, evaluate, fit + evaluate, 10, 160, 16, 100);
    }
}
