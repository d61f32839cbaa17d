package io.flhetero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.testing.Requirement;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C (SIGINT) on a real `run` process: it stops cleanly, says so, and leaves a complete run directory. */
class CtrlCTest {

    /** Bit 2 (SIGINT) of the ignored-signals mask in /proc/self/status, which children inherit. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    @Test
    void sigintStopsARunCleanly(@TempDir Path runs) throws Exception {
        if (sigintIgnored()) {
            Requirement.missing("Ctrl-C", "SIGINT is ignored in this JVM, so the run it starts ignores it too (a shell "
                    + "without job control starts background jobs that way); run the tests in the foreground");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--runtime", "local", "--profile", "quickstart", "--dataset", "synthetic",
                "--synthetic-examples", "1000", "--rounds", "50", "--metrics-port", "0",
                "--runs-dir", runs.toString()).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process run = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("round   1/50")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
                }
            }
        }
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ends after Ctrl-C");
        assertEquals(RunCommand.INTERRUPTED, run.exitValue(), output.toString());
        assertTrue(output.toString().contains("stopping:"), output.toString());
        assertTrue(output.toString().contains("interrupted after"), output.toString());

        List<Path> dirs;
        try (Stream<Path> list = Files.list(runs)) {
            dirs = list.toList();
        }
        assertEquals(1, dirs.size());
        JsonNode summary = new ObjectMapper().readTree(dirs.get(0).resolve("summary.json").toFile());
        assertEquals("interrupted", summary.get("status").asText());
        assertTrue(summary.get("rounds_completed").asInt() >= 1 && summary.get("rounds_completed").asInt() < 50);
    }
}
