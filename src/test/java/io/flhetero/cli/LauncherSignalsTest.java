package io.flhetero.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run` without OMP_NUM_THREADS relaunches itself as a child JVM (NativeThreads). A signal to the process a user
 * sees, or its death, must stop the run in the child too, gracefully, leaving a complete run directory and no
 * process behind.
 */
class LauncherSignalsTest {

    @Test
    void sigtermToTheLauncherStopsTheRunInTheChild(@TempDir Path runs) throws Exception {
        Process launcher = start(runs);
        ProcessHandle child = childOnceTraining(launcher);
        new ProcessBuilder("kill", "-TERM", Long.toString(launcher.pid())).start().waitFor();
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher ends");
        assertTrue(child.onExit().get(60, TimeUnit.SECONDS) != null && !child.isAlive(), "the child ends with it");
        assertEquals("interrupted", status(runs));
    }

    @Test
    void aKilledLauncherLeavesNoOrphanRunBehind(@TempDir Path runs) throws Exception {
        Process launcher = start(runs);
        ProcessHandle child = childOnceTraining(launcher);
        launcher.destroyForcibly().waitFor(); // SIGKILL: no hook of its own runs
        child.onExit().get(60, TimeUnit.SECONDS);
        assertFalse(child.isAlive(), "the child notices and stops");
        assertEquals("interrupted", status(runs));
    }

    private static Process start(Path runs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--runtime", "local", "--profile", "quickstart", "--dataset", "synthetic",
                "--synthetic-examples", "1000", "--rounds", "500", "--metrics-port", "0", "--runs-dir",
                runs.toString()).redirectErrorStream(true);
        builder.environment().remove(NativeThreads.ENV); // as a user starts it: `run` relaunches itself
        return builder.start();
    }

    /** The relaunched child, once the first round has finished; the launcher's output is drained from then on. */
    private static ProcessHandle childOnceTraining(Process launcher) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder output = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            output.append(line).append('\n');
            if (line.startsWith("round   1/")) {
                break;
            }
        }
        List<ProcessHandle> children = launcher.children().toList();
        assertEquals(1, children.size(), "run relaunched itself once:\n" + output);
        Thread drain = new Thread(() -> {
            try {
                while (lines.readLine() != null) {
                    // the launcher's output until it ends
                }
            } catch (IOException e) {
                // closed with the process
            }
        });
        drain.setDaemon(true);
        drain.start();
        return children.get(0);
    }

    private static String status(Path runs) throws Exception {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(runs)) {
            dirs = list.toList();
        }
        assertEquals(1, dirs.size());
        return new ObjectMapper().readTree(dirs.get(0).resolve("summary.json").toFile()).get("status").asText();
    }
}
