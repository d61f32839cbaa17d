package io.flhetero.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.data.Dataset;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FedBuff run end to end in-process: versions instead of rounds, in every file; and a device that leaves. Synthetic
 * data: plumbing.
 */
class AsyncRunTest {

    private static final String PROFILE = """
            name: async
            rounds: 6
            devices:
              - {name: fast, cpus: 1,    memory: 2g, batch_size: 32, learning_rate: 0.01}
              - {name: slow, cpus: 0.25, memory: 2g, batch_size: 32, learning_rate: 0.01}
            dataset: {name: synthetic, data_percentage: 1.0, test_split: 0.2}
            model: {alpha: 0.1, batchnorm_momentum: 0.9}
            strategy: {name: fedbuff, buffer_size: 1, evaluate_every: 3, min_fit_clients: 1, round_timeout: 5m}
            """;

    @Test
    void aFedBuffRunReportsModelVersionsWithTheirUpdatesAndResumesFromOne(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("async.yaml", PROFILE, ProfileOverrides.NONE);
        Dataset data = new Dataset("synthetic", "test", true, SyntheticCifar.generate(400, 1),
                SyntheticCifar.generate(100, 2));
        List<RoundReport> versions = new ArrayList<>();
        FederatedRun[] run = new FederatedRun[1];
        run[0] = new FederatedRun(profile, data, new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(60)),
                new RunListener() {
                    @Override
                    public void roundFinished(RoundReport report) {
                        versions.add(report);
                        if (report.round() == 4) {
                            run[0].stop();
                        }
                    }
                });
        assertEquals(RunSummary.Status.INTERRUPTED, run[0].execute().status());
        assertEquals(List.of(1, 2, 3, 4), versions.stream().map(RoundReport::round).toList());
        versions.forEach(v -> assertEquals(1, v.updates().size(), "buffer_size 1: one update per version"));
        assertTrue(versions.get(2).evaluation().present() && !versions.get(1).evaluation().present(),
                "evaluated every 3 versions, on the server");
        assertEquals(2, versions.get(2).evaluations().size(), "one evaluation per client's test split");

        Path dir = run[0].directory().path();
        FederatedRun resumed = FederatedRun.resume(dir, ProfileReader.read(dir.resolve(RunDirectory.PROFILE)), data,
                new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(60)), new RunListener() {
                    @Override
                    public void roundFinished(RoundReport report) {
                        versions.add(report);
                    }
                }, m -> { });
        assertEquals(RunSummary.Status.COMPLETED, resumed.execute().status());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), versions.stream().map(RoundReport::round).toList());
        assertTrue(versions.get(5).evaluation().present(), "the last version is always evaluated");

        List<String> rows = Files.readAllLines(dir.resolve(RunDirectory.ROUNDS));
        List<String> header = Arrays.asList(rows.get(0).split(","));
        int staleness = header.indexOf("staleness");
        int base = header.indexOf("base_version");
        List<String[]> updates = rows.stream().skip(1).map(r -> r.split(",", -1)).filter(c -> c[2].equals("ok"))
                .toList();
        assertEquals(6, updates.size(), "one row per update");
        updates.forEach(u -> assertEquals(Integer.parseInt(u[0]) - 1 - Integer.parseInt(u[base]),
                Integer.parseInt(u[staleness]), "staleness is the versions made since the one it trained on"));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(RunDirectory.SUMMARY).toFile());
        assertEquals(6, summary.get("rounds_completed").asInt());
        assertEquals("completed", summary.get("status").asText());
    }

    @Test
    void aDeviceThatLeavesIsReportedInTheRunDirectoryAndTheRunGoesOn(@TempDir Path runs) throws Exception {
        // client2 is online for the first 10 ms of device time: its first piece of work is lost, then it is gone.
        Path trace = Files.writeString(runs.resolve("trace.csv"), "client2,0,0.01\n");
        String churn = PROFILE.replace("{name: slow, cpus: 0.25, memory: 2g, batch_size: 32, learning_rate: 0.01}",
                "{name: slow, cpus: 0.25, memory: 2g, batch_size: 32, learning_rate: 0.01, availability: {trace: "
                        + trace + "}}").replace("rounds: 6", "rounds: 3");
        Profile profile = ProfileReader.parse("churn.yaml", churn, ProfileOverrides.NONE);
        Dataset data = new Dataset("synthetic", "test", true, SyntheticCifar.generate(400, 1),
                SyntheticCifar.generate(100, 2));
        FederatedRun run = new FederatedRun(profile, data, new RunSettings(runs, "127.0.0.1", 0,
                Duration.ofSeconds(60)), new RunListener() { });
        assertEquals(RunSummary.Status.COMPLETED, run.execute().status());

        Path dir = run.directory().path();
        assertEquals(List.of("client_id,online,device_seconds", "client2,false,0.010"),
                Files.readAllLines(dir.resolve(RunDirectory.AVAILABILITY)));
        assertTrue(Files.readAllLines(dir.resolve(RunDirectory.ROUNDS)).stream()
                .anyMatch(r -> r.contains(",client2,failed,offline,")), "its lost work is in rounds.csv");
        RunDirectory.reopen(dir, "again", 0, 0.005).close();
        assertEquals(List.of("client_id,online,device_seconds"), Files.readAllLines(dir.resolve(
                RunDirectory.AVAILABILITY)), "a resume keeps the changes up to its checkpoint's device time");
    }
}
