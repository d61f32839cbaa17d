package io.flhetero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.report.RunDirectory;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run --runtime external`: clients started by someone else, here two JVMs started before the run, each joining
 * with `client` once the run has written its launch file. Synthetic data: plumbing.
 */
class ExternalClientsTest {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @Test
    void clientsStartedElsewhereJoinTheRunByItsId(@TempDir Path runs) throws Exception {
        Path dir = runs.resolve("ext1");
        List<Process> clients = new ArrayList<>();
        try {
            clients.add(client(dir, "client1", "1.0", "2g")); // before the run: they wait for its launch file
            clients.add(client(dir, "client2", "0.5", "1g"));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute("run", "--runtime",
                    "external", "--run-id", "ext1", "--profile", "quickstart", "--dataset", "synthetic",
                    "--synthetic-examples", "400", "--rounds", "2", "--metrics-port", "0", "--startup-timeout", "120s",
                    "--no-report", "--runs-dir", runs.toString()));
            assertEquals(ExitCode.OK, run.get(5, TimeUnit.MINUTES), streams.err() + streams.out());
            for (int i = 0; i < clients.size(); i++) {
                Process c = clients.get(i);
                String log = "client" + (i + 1);
                assertTrue(c.waitFor(60, TimeUnit.SECONDS), "the server's shutdown ends each client");
                assertEquals(0, c.exitValue(), Files.readString(log(dir, log)));
            }
        } finally {
            clients.forEach(Process::destroyForcibly);
        }
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(RunDirectory.SUMMARY).toFile());
        assertEquals("completed", summary.get("status").asText(), summary.toString());
        assertEquals("external", summary.get("runtime").asText());
        assertEquals(2, summary.get("rounds_completed").asInt());
        assertEquals(0.5, summary.get("clients").get(1).get("cpus").asDouble(), "the limits the client reported");
        assertTrue(streams.out().contains("waiting for 2 clients started elsewhere; each joins with"), streams.out());
        assertFalse(Files.exists(dir.resolve("client.json")), "its token goes with the run: a later client cannot use it");

        // The same run in-process, its clients virtual on a pool of networks: they train as these two processes did.
        assertEquals(ExitCode.OK, Main.execute("run", "--runtime", "local", "--uncalibrated", "--run-id", "local1",
                "--profile", "quickstart", "--dataset", "synthetic", "--synthetic-examples", "400", "--rounds", "2",
                "--metrics-port", "0", "--no-report", "--runs-dir", runs.toString()), streams.err());
        JsonNode local = new ObjectMapper().readTree(runs.resolve("local1").resolve(RunDirectory.SUMMARY).toFile());
        assertEquals(accuracies(summary), accuracies(local), "the same seed trains the same models with a network "
                + "per client process as with virtual clients");

        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--resume", "ext1", "--runtime", "local", "--runs-dir",
                runs.toString()));
        assertTrue(streams.err().contains("the run ran with clients started elsewhere; give --runtime external"),
                streams.err());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "external", "--runs-dir", runs.toString()));
        assertTrue(streams.err().contains("--runtime external needs --run-id ID"), streams.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "external", "--run-id", "ext1",
                "--runs-dir", runs.toString()));
        assertTrue(streams.err().contains("exists; give a new id"), streams.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "external", "--run-id", "../x",
                "--runs-dir", runs.toString()));
        assertTrue(streams.err().contains("is not a run id"), streams.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "external", "--run-id", "churn",
                "--profile", "stragglers-churn", "--runs-dir", runs.toString()));
        assertTrue(streams.err().contains("cannot stop and start clients"), streams.err());
    }

    private static List<Double> accuracies(JsonNode summary) {
        List<Double> accuracies = new ArrayList<>();
        summary.get("rounds").forEach(r -> accuracies.add(r.get("accuracy").asDouble()));
        assertEquals(2, accuracies.size(), summary.toString());
        return accuracies;
    }

    /** A client JVM of this build, as a user would start one on another machine. */
    private static Process client(Path runDir, String id, String cpus, String memory) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.createDirectories(runDir.getParent());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "client", "--launch", runDir.resolve("client.json").toString(), "--profile",
                runDir.resolve(RunDirectory.PROFILE).toString(), "--data-dir", runDir.resolve("client-data").toString(),
                "--client-id", id, "--cpus", cpus, "--memory", memory, "--wait", "2m").redirectErrorStream(true)
                .redirectOutput(log(runDir, id).toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static Path log(Path runDir, String id) {
        return runDir.getParent().resolve(id + ".log");
    }
}
