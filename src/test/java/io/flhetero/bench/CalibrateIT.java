package io.flhetero.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.RunsOnEngine;
import io.flhetero.runtime.local.DeviceCalibration;
import io.flhetero.testing.DockerAvailable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench calibrate} end to end on a real engine, as small as it goes: one fitted and one judged container run
 * and two in-process runs, 3 rounds on a few hundred synthetic images (plumbing only: none of its figures is a
 * claim), then an in-process run that uses the fit it kept. Everything it writes is in its own directories; the
 * runs it started are the only ones it removes.
 */
class CalibrateIT {

    private static DockerEngine engine;

    @BeforeAll
    static void engine() {
        engine = DockerAvailable.engine();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void fitsKeepsAndJudgesTheModelAndInProcessRunsUseIt(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path cache = dir.resolve("cache");
        try {
            String calibrate = jar(0, "bench", "calibrate", "--rounds", "3", "--repeats", "1", "--judge", "1",
                    "--dataset", "synthetic", "--synthetic-examples", "2000", "--cache-dir", cache.toString(),
                    "--runs-dir", runs.toString(), "--client-image", DockerAvailable.IMAGE);
            assertTrue(calibrate.contains("bench calibrate: calibration, 3 clients (0.25, 0.5, 1.0 CPU), 3 rounds"),
                    calibrate);
            assertTrue(calibrate.contains("against the last container run (the fit saw only the earlier ones)"),
                    calibrate);
            assertTrue(calibrate.contains("| 3 | client3 (1.0 CPU) | "), calibrate);
            assertTrue(calibrate.contains("within 10 % from round 1 (uncalibrated -> calibrated; other container "
                    + "runs in brackets): fit "), calibrate);

            List<Path> kept;
            try (Stream<Path> files = Files.list(cache.resolve("calibration"))) {
                kept = files.toList();
            }
            assertEquals(1, kept.size(), "one fit, for this host and JAR: " + kept);
            DeviceCalibration fit = new ObjectMapper().readValue(kept.get(0).toFile(), DeviceCalibration.class);
            assertArrayEquals(new double[] {0.25, 0.5, 1.0}, fit.cpus());
            assertEquals("calibration (0.25, 0.5, 1.0 CPU)", fit.mix());
            assertEquals(1.75, fit.mixCpus(), 1e-9);
            for (int i = 0; i < fit.cpus().length; i++) {
                assertTrue(fit.fitRatio()[i] > 0 && fit.evaluateRatio()[i] > 0, fit.toString());
            }

            String run = jar(0, "run", "--runtime", "local", "-p", "quickstart", "--rounds", "1", "--dataset",
                    "synthetic", "--synthetic-examples", "400", "--cache-dir", cache.toString(), "--runs-dir",
                    runs.toString(), "--metrics-port", "0", "--no-monitoring");
            assertTrue(run.contains("device model calibrated on this host's containers"), run);
        } finally {
            removeOurRuns(runs);
        }
    }

    /** Runs the JAR with these arguments; its output, once it exited with {@code expected}. */
    private static String jar(int expected, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", DockerAvailable.JAR.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES));
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(expected, process.exitValue(), text);
        return text;
    }

    /** Whatever the runs under {@code runs} left on the engine: a test that failed half-way must not leave any. */
    private static void removeOurRuns(Path runs) throws Exception {
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                RunsOnEngine.removeRun(engine, d.getFileName().toString());
            }
        }
    }
}
