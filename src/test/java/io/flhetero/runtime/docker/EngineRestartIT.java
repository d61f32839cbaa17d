package io.flhetero.runtime.docker;

import io.flhetero.cli.Main;
import io.flhetero.testing.DockerAvailable;
import io.flhetero.testing.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker engine restarted under a running run: the run ends at once with the reason (not at its round
 * timeout), exit 1, and `stop` removes what is left once the engine is back. It restarts the machine's engine,
 * so it runs only where that engine is the tests' own: CI says so with FL_HETERO_TESTS_OWN_THE_ENGINE=1. It is the
 * last IT (failsafe runs them in alphabetical order).
 */
class EngineRestartIT {

    private static final Pattern RUN_STARTED = Pattern.compile("^run (\\S+): clients run as Docker containers");

    @Test
    void aRunWhoseEngineRestartsFailsClearlyAndStopCleansUpAfterwards(@TempDir Path runs) throws Exception {
        if (!"1".equals(System.getenv("FL_HETERO_TESTS_OWN_THE_ENGINE"))) {
            Requirement.missing("engine-restart", "it restarts this machine's Docker engine; set "
                    + "FL_HETERO_TESTS_OWN_THE_ENGINE=1 where that engine runs nothing but these tests (CI does)");
        }
        DockerAvailable.engine().close();
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", DockerAvailable.JAR.toString(), "run",
                "--runtime", "docker", "--client-image", DockerAvailable.IMAGE, "--profile", "quickstart",
                "--dataset", "synthetic", "--synthetic-examples", "400", "--rounds", "50", "--metrics-port", "0",
                "--no-monitoring", "--runs-dir", runs.toString()).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process run = builder.start();
        StringBuilder output = new StringBuilder();
        String runId = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = RUN_STARTED.matcher(line);
                if (m.find()) {
                    runId = m.group(1);
                }
                if (line.startsWith("round   1/")) {
                    restartEngine();
                }
            }
        }
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), output.toString());
        assertNotNull(runId, output.toString());
        assertEquals(1, run.exitValue(), output.toString());
        assertTrue(output.toString().contains("the Docker engine stopped or restarted under the run"),
                "the run says why its clients are gone:\n" + output);

        int stop = Main.execute("stop", runId);
        assertTrue(stop == 0 || stop == 2, "stop removes what is left, or says nothing is: " + stop);
        try (DockerEngine engine = DockerAvailable.engine()) {
            assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId)).isEmpty(),
                    "nothing of the run is left");
        }
    }

    /** Stops dockerd and starts it again, as .ci/run starts it. */
    private static void restartEngine() throws Exception {
        Optional<ProcessHandle> dockerd = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false)).findFirst();
        assertTrue(dockerd.isPresent(), "no dockerd process to restart");
        dockerd.get().destroy();
        dockerd.get().onExit().get(60, TimeUnit.SECONDS);
        new ProcessBuilder("setsid", "dockerd").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("/var/log/dockerd.log").toFile())).start();
        for (int i = 0; i < 60; i++) {
            Process info = new ProcessBuilder(List.of("docker", "info")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (info.waitFor() == 0) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("dockerd did not come back within 60 s; see /var/log/dockerd.log");
    }
}
