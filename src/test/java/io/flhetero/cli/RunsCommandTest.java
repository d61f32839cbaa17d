package io.flhetero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.report.RunDirectory;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `runs list|show|compare` on real run directories: one finished, one killed, one live. Synthetic data: plumbing. */
class RunsCommandTest {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @Test
    void listsShowsAndComparesTheRunsOfARunsFolder(@TempDir Path runs) throws Exception {
        assertEquals(ExitCode.OK, Main.execute("run", "--runtime", "local", "--profile", "quickstart", "--dataset",
                "synthetic", "--synthetic-examples", "400", "--rounds", "2", "--metrics-port", "0", "--runs-dir",
                runs.toString()), streams.err());
        String id;
        try (Stream<Path> dirs = Files.list(runs)) {
            id = dirs.filter(Files::isDirectory).findFirst().orElseThrow().getFileName().toString();
        }
        JsonNode summary = new ObjectMapper().readTree(runs.resolve(id).resolve(RunDirectory.SUMMARY).toFile());
        assertEquals("dev", summary.get("program").asText(), "run from classes, not from the JAR");
        assertEquals(Runtime.getRuntime().availableProcessors(), summary.get("host").get("cpus").asInt());
        assertTrue(summary.get("host").get("memory_bytes").asLong() > 0 && summary.get("jvm").asText()
                .startsWith(System.getProperty("java.version")), summary.toString());
        String firstRow = Files.readAllLines(runs.resolve(id).resolve(RunDirectory.ROUNDS)).get(1);
        assertTrue(firstRow.matches(".*,\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z,\\d+"), "rows end with when their round "
                + "finished and the client's memory: " + firstRow);
        // A run killed before its summary (only its profile), and one a process still holds.
        Path killed = Files.createDirectories(runs.resolve("20000101-000000-killed"));
        Files.writeString(killed.resolve(RunDirectory.PROFILE), "name: x\n");
        Path live = Files.createDirectories(runs.resolve("30000101-000000-live"));
        Files.writeString(live.resolve(RunDirectory.PROFILE), "name: x\n");
        try (FileChannel lock = FileChannel.open(live.resolve(RunDirectory.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var held = lock.lock()) {
            assertEquals(ExitCode.OK, Main.execute("runs", "list", "--runs-dir", runs.toString()));
        }
        String[] lines = streams.out().lines().filter(l -> l.startsWith("20") || l.startsWith("30"))
                .toArray(String[]::new);
        assertEquals(3, lines.length, streams.out());
        assertTrue(lines[0].startsWith("30000101-000000-live") && lines[0].contains(" running "), "newest first: "
                + lines[0]);
        assertTrue(lines[1].startsWith(id) && lines[1].contains(" quickstart ") && lines[1].contains(" completed ")
                && lines[1].contains(" 2/2 "), lines[1]);
        assertTrue(lines[2].contains(" unfinished "), "killed before its summary: " + lines[2]);

        assertEquals(ExitCode.OK, Main.execute("runs", "list", "--runs-dir", runs.toString(), "--format", "json"));
        String json = streams.out().substring(streams.out().indexOf("[ {"));
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertEquals(3, parsed.size());
        assertEquals(2, parsed.get(1).get("accuracies").size());

        assertEquals(ExitCode.OK, Main.execute("runs", "compare", "--runs-dir", runs.toString(), id,
                runs.resolve(id).toString()));
        assertTrue(streams.out().contains("accuracy, r2"), streams.out());
        assertTrue(streams.out().matches("(?s).*final accuracy +(\\S+) +\\1\\R.*"), "the same run twice, the same "
                + "figures:\n" + streams.out());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("dashboard", "--runs-dir", runs.toString(), id));
        assertTrue(streams.err().contains("run " + id + " kept no Prometheus data"), "in-process: " + streams.err());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("runs", "show", "--runs-dir", runs.toString(), "nope"));
        assertTrue(streams.err().contains("no run 'nope' in " + runs), streams.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("runs", "list", "--runs-dir", runs.toString(), "--format",
                "xml"));
        assertTrue(streams.err().contains("--format must be table or json, got 'xml'"), streams.err());
    }
}
