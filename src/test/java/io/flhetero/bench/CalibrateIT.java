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
 * (after a one-round run that writes the client JVMs' class-data archive, when this JAR has none yet) and two
 * in-process runs, 3 rounds on a few hundred synthetic images (plumbing only: none of its figures is a claim), then
 * an in-process run that uses the fit it kept. Its runs and the fit go to its own directories; the archive goes
 * where every container run of this JAR keeps it. The runs it started are the only ones it removes.
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
            String calibrate = jar(dir, "bench", "calibrate", "--rounds", "3", "--repeats", "1", "--judge", "1",
                    "--dataset", "synthetic", "--synthetic-examples", "2000", "--cache-dir", cache.toString(),
                    "--runs-dir", runs.toString(), "--client-image", DockerAvailable.IMAGE);
            assertTrue(calibrate.contains("bench calibrate: calibration, 3 clients (0.25, 0.5, 1.0 CPU), 3 rounds"),
                    calibrate);
            assertTrue(calibrate.contains("against the last container run (the fit saw only those before); \"other "
                    + "container runs\": the earlier one, for scale:"), calibrate);
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
            assertTrue(fit.cost().trainPerImage() > 0 && fit.cost().evaluatePerImage() > 0, fit.toString());
            for (int i = 0; i < fit.cpus().length; i++) {
                assertEquals(1, fit.fitWarmup()[i].length, "3 rounds: the first warms up, the last two are warm");
                assertEquals(1, fit.evaluateWarmup()[i].length);
            }

            String run = jar(dir, "run", "--runtime", "local", "-p", "quickstart", "--rounds", "1", "--dataset",
                    "synthetic", "--synthetic-examples", "400", "--cache-dir", cache.toString(), "--runs-dir",
                    runs.toString(), "--metrics-port", "0", "--no-monitoring");
            assertTrue(run.contains("device model calibrated on this host's containers"), run);
        } finally {
            removeOurRuns(runs);
        }
    }

    /** Runs the JAR with these arguments, killed after 10 minutes; its output, once it exited with 0. */
    private static String jar(Path dir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", DockerAvailable.JAR.toString()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(dir, "output", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(10, TimeUnit.MINUTES);
            String output = Files.readString(log);
            assertTrue(ended, "still running after 10 minutes:\n" + output);
            assertEquals(0, process.exitValue(), output);
            return output;
        } finally {
            process.destroyForcibly();
        }
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
