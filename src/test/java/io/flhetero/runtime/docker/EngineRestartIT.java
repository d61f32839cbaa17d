package io.flhetero.runtime.docker;

import io.flhetero.cli.Main;
import io.flhetero.testing.DockerAvailable;
import io.flhetero.testing.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

    @Test
    void aRunWhoseEngineRestartsFailsClearlyAndStopCleansUpAfterwards(@TempDir Path runs) throws Exception {
        if (!"1".equals(System.getenv("FL_HETERO_TESTS_OWN_THE_ENGINE"))) {
            Requirement.missing("engine-restart", "it restarts this machine's Docker engine; set "
                    + "FL_HETERO_TESTS_OWN_THE_ENGINE=1 where that engine runs nothing but these tests (CI does)");
        }
        DockerAvailable.engine().close();
        Process run = DockerRuntimeIT.orchestrator(runs, "--profile", "quickstart", "--dataset", "synthetic",
                "--rounds", "50");
        DockerRuntimeIT.Watched watched = DockerRuntimeIT.watch(run, line -> {
            if (line.startsWith("round   1/")) {
                restartEngine();
            }
            return false; // read on to the end of the run
        });
        String output = watched.output();
        String runId = watched.runId();
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), output);
        assertNotNull(runId, output);
        assertEquals(1, run.exitValue(), output);
        assertTrue(output.contains("the Docker engine stopped or restarted under the run"),
                "the run says why its clients are gone:\n" + output);

        int stop = Main.execute("stop", runId);
        assertTrue(stop == 0 || stop == 2, "stop removes what is left, or says nothing is: " + stop);
        try (DockerEngine engine = DockerAvailable.engine()) {
            assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId)).isEmpty(),
                    "nothing of the run is left");
        }
    }

    /** Stops dockerd and starts it again, as .ci/run starts it. */
    private static void restartEngine() {
        try {
            restartDockerd();
        } catch (Exception e) {
            throw new AssertionError("could not restart the engine: " + e, e);
        }
    }

    private static void restartDockerd() throws Exception {
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
