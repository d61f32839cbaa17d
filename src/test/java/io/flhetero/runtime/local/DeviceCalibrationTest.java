package io.flhetero.runtime.local;

import io.flhetero.fl.client.Work;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceCalibrationTest {

    private static final DeviceCalibration MEASURED = new DeviceCalibration("host", "123-456", "2026-12-01",
            "calibration (0.25, 1.0 CPU)", 1.25, new WorkCost(0.02, 0.004, 0.01, 0.001), new double[] {0.25, 1},
            new double[] {1.2, 1.6}, new double[] {1.5, 1.1}, new double[][] {{3.2, 0.8}, {0.8, 0.2}},
            new double[][] {{1.6}, {0.4}});

    @Test
    void ratiosAreInterpolatedBetweenTheMeasuredSharesAndHeldOutsideThem() {
        assertEquals(1.2, MEASURED.fitRatio(0.1), 1e-12, "below the smallest: its ratio");
        assertEquals(1.4, MEASURED.fitRatio(0.625), 1e-12, "half way between 0.25 and 1");
        assertEquals(1.6, MEASURED.fitRatio(2), 1e-12, "above the largest: its ratio");
        assertEquals(1.3, MEASURED.evaluateRatio(0.625), 1e-12);
    }

    @Test
    void warmUpIsInTheFirstFitsPerCpuShare() {
        assertEquals(3.2, MEASURED.warmupSeconds(0.25, false, 0), 1e-12);
        assertEquals(0.8 + (3.2 - 0.8) / 3, MEASURED.warmupSeconds(0.75, false, 0), 1e-12, "between the shares");
        assertEquals(0.2, MEASURED.warmupSeconds(2, false, 1), 1e-12, "above the largest share: its warm-up");
        assertEquals(0.0, MEASURED.warmupSeconds(1, false, 2), "warm from the third fit on");
        assertEquals(0.4, MEASURED.warmupSeconds(1, true, 0), 1e-12);
        assertEquals(0.0, MEASURED.warmupSeconds(1, true, 1));
        Work work = new Work(10, 320, 3, 2);
        DeviceClock clock = new DeviceClock(0.25, MEASURED);
        assertEquals(4 * (0.2 + 1.28) * 1.2, clock.deviceSeconds(work), 1e-12, "counted work at a quarter CPU, "
                + "times its ratio");
        assertEquals(8.0, new DeviceClock(0.25).deviceSeconds(work), 1e-12, "uncalibrated: the CPU time measured, "
                + "at a quarter CPU");
    }

    @Test
    void aMixUnlikeTheCalibrationsIsToldSo() {
        assertTrue(MEASURED.mixWarning(List.of(0.25, 1.0)).isEmpty(), "the mix itself");
        assertTrue(MEASURED.mixWarning(List.of(0.3, 1.05)).isEmpty(), "within a tenth");
        String lighter = MEASURED.mixWarning(List.of(0.25, 0.75)).orElseThrow();
        assertTrue(lighter.contains("its devices have 1.00 CPUs of limits together against 1.25 of calibration "
                + "(0.25, 1.0 CPU)"), lighter);
        assertTrue(lighter.contains("`bench calibrate -p PROFILE` fits the model on it"), lighter);
        String smaller = MEASURED.mixWarning(List.of(0.17, 0.58, 0.5)).orElseThrow();
        assertTrue(smaller.contains("CPU share 0.17 is outside those measured (0.25 to 1.0)"), smaller);
        assertTrue(MEASURED.mixWarning(List.of(0.1, 0.2, 1.0)).orElseThrow().contains("CPU shares 0.1, 0.2 are "
                + "outside"), "two below");
        assertTrue(!smaller.contains("together"), smaller);
        assertTrue(DeviceCalibration.NONE.mixWarning(List.of(8.0)).isEmpty(), "uncalibrated: nothing to compare");
    }

    @Test
    void aCalibrationKeptByAnEarlierBuildStillReads(@TempDir Path cache) throws Exception {
        Path file = MEASURED.save(cache);
        Files.writeString(file, Files.readString(file).replaceAll("\\s*\"mix\" : \"[^\"]*\",", "")
                .replaceAll("\\s*\"mixCpus\" : [0-9.]+,", ""));
        DeviceCalibration older = DeviceCalibration.load(cache, "123-456").orElseThrow();
        assertEquals("", older.mix());
        assertEquals(0, older.mixCpus());
        String warning = older.mixWarning(List.of(4.0, 4.0)).orElseThrow();
        assertTrue(warning.contains("outside") && !warning.contains("together"), "no total to compare: " + warning);
    }

    @Test
    void keptPerHostAndJarAndReadBack(@TempDir Path cache) throws Exception {
        Path file = MEASURED.save(cache);
        assertEquals(DeviceCalibration.file(cache, "123-456"), file);
        assertTrue(file.getFileName().toString().contains(DeviceCalibration.hostName()));
        assertEquals(MEASURED, DeviceCalibration.load(cache, "123-456").orElseThrow(), "the JSON holds all of it");
        assertTrue(DeviceCalibration.load(cache, "other-jar").isEmpty(), "another build has none");

        Files.writeString(file, "{not json");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DeviceCalibration.load(cache,
                "123-456"));
        assertTrue(e.getMessage().contains("remove it, or run `bench calibrate` again"), e.getMessage());
    }
}
