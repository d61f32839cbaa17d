package io.flhetero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.report.RunDirectory;
import io.flhetero.run.Checkpoint;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run --resume` after the orchestrator was killed outright (SIGKILL: no hook, no summary), and its refusals:
 * a changed experiment, other data, a finished run, a live one, no run at all. Synthetic data: plumbing only.
 */
class ResumeCommandTest {

    private static final String[] DATA = {"--dataset", "synthetic", "--synthetic-examples", "400"};

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @Test
    void aKilledRunResumesFromItsLastCheckpointAndEndsComplete(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path idFile = dir.resolve("run.id");
        Process run = start(runs, idFile, 5);
        Path runDir;
        try {
            runDir = awaitCheckpoint(runs, idFile, 2, run);
        } finally {
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: nothing of the run's own cleanup runs
        }
        assertTrue(Files.notExists(runDir.resolve(RunDirectory.SUMMARY)), "a killed run wrote no summary");
        String id = runDir.getFileName().toString();

        int exit = Main.execute(resume(runs, id));

        assertEquals(ExitCode.OK, exit, streams.err());
        JsonNode summary = new ObjectMapper().readTree(runDir.resolve(RunDirectory.SUMMARY).toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(5, summary.get("rounds_completed").asInt());
        assertEquals(5, summary.get("rounds").size());
        List<String> rounds = Files.readAllLines(runDir.resolve(RunDirectory.ROUNDS)).stream().skip(1)
                .map(r -> r.split(",")[0]).distinct().toList();
        assertEquals(List.of("1", "2", "3", "4", "5"), rounds, "each round once, one in flight at the kill run again");

        assertEquals(ExitCode.BAD_INPUT, Main.execute(resume(runs, id)));
        assertTrue(err().contains("completed all 5 rounds: there is nothing to resume"), err());
    }

    @Test
    void aChangedExperimentOtherDataALiveRunOrNoRunAreRefused(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path idFile = dir.resolve("run.id");
        Process run = start(runs, idFile, 5);
        Path runDir;
        try {
            runDir = awaitCheckpoint(runs, idFile, 1, run);
        } finally {
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String id = runDir.getFileName().toString();

        assertEquals(ExitCode.BAD_INPUT, Main.execute(concat(resume(runs, id), "--rounds", "7")));
        assertTrue(err().contains("rounds was 5, here 7"), err());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--resume", id, "--runs-dir", runs.toString(),
                "--runtime", "local", "--metrics-port", "0", "--synthetic-examples", "300"));
        assertTrue(err().contains("trained on synthetic: "), err());

        try (FileChannel held = FileChannel.open(runDir.resolve(RunDirectory.LOCK), StandardOpenOption.WRITE);
             var lock = held.lock()) {
            assertEquals(ExitCode.BAD_INPUT, Main.execute(resume(runs, id)));
            assertTrue(err().contains("run " + id + " is live"), err());
        }

        assertEquals(ExitCode.BAD_INPUT, Main.execute(resume(runs, "20991231-000000-000000")));
        assertTrue(err().contains("no run directory there"), err());
    }

    private String err() {
        return streams.err();
    }

    private static String[] resume(Path runs, String id) {
        return concat(new String[] {"run", "--resume", id, "--runs-dir", runs.toString(), "--runtime", "local",
                "--metrics-port", "0"}, "--synthetic-examples", "400");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** A real `run` process, as a user starts it (without the relaunch, so that there is one JVM to kill). */
    private static Process start(Path runs, Path idFile, int rounds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(concat(new String[] {java, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--runtime", "local",
                "--profile", "quickstart", "--rounds", Integer.toString(rounds), "--metrics-port", "0", "--runs-dir", runs.toString(),
                "--id-file", idFile.toString()}, DATA)).redirectErrorStream(true)
                .redirectOutput(runs.getParent().resolve("run.log").toFile());
        builder.environment().put(NativeThreads.ENV, "1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    /** Waits until the run's checkpoint holds round {@code round} (the run is killed right after). */
    private static Path awaitCheckpoint(Path runs, Path idFile, int round, Process run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && run.isAlive()) {
            if (Files.exists(idFile)) {
                Path dir = runs.resolve(Files.readString(idFile).trim());
                if (Checkpoint.read(dir).map(c -> c.round() >= round).orElse(false)) {
                    return dir;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint of round " + round + "; the run's output:\n"
                + Files.readString(runs.getParent().resolve("run.log")));
    }
}
