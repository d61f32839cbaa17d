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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run stopped after round 2 and resumed from its checkpoint ends as the uninterrupted run does: the same
 * accuracy in every round, with sampling (2 of 5 clients each round) and each client's Adam state carried over.
 * Deadlines and over-selection stop clients at a measured device time, which varies from run to run: with them
 * not even two uninterrupted runs are the same, so they are left out here.
 * Synthetic data: this checks plumbing, not learning.
 */
class ResumeTest {

    private static final String PROFILE = """
            name: resume
            rounds: 4
            devices:
              - {name: strong, cpus: 1,    memory: 2g, batch_size: 32, learning_rate: 0.01}
              - {name: weak,   cpus: 0.25, memory: 1g, batch_size: 16, learning_rate: 0.01}
            clients: 5
            dataset: {name: synthetic, data_percentage: 1.0, test_split: 0.2}
            model: {alpha: 0.1, batchnorm_momentum: 0.9}
            strategy: {fraction_fit: 0.4, min_fit_clients: 1, oom_restarts: 1, round_timeout: 5m}
            """;

    private final Dataset data = new Dataset("synthetic", "test", true, SyntheticCifar.generate(900, 1),
            SyntheticCifar.generate(100, 2));

    @Test
    void aResumedRunEndsAsTheUninterruptedOne(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("resume.yaml", PROFILE, ProfileOverrides.NONE);
        Map<Integer, Double> uninterrupted = new TreeMap<>();
        FederatedRun whole = new FederatedRun(profile, data, settings(runs.resolve("whole")), accuracies(uninterrupted));
        assertEquals(RunSummary.Status.COMPLETED, whole.execute().status());

        Map<Integer, Double> resumed = new TreeMap<>();
        FederatedRun[] first = new FederatedRun[1];
        RunListener stopAfterTwo = new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                resumed.put(report.round(), report.evaluation().accuracy());
                if (report.round() == 2) {
                    first[0].stop();
                }
            }
        };
        first[0] = new FederatedRun(profile, data, settings(runs.resolve("parts")), stopAfterTwo);
        RunSummary stopped = first[0].execute();
        assertEquals(RunSummary.Status.INTERRUPTED, stopped.status());
        assertEquals(2, stopped.roundsCompleted());
        Path dir = first[0].directory().path();
        assertEquals(2, Checkpoint.read(dir).orElseThrow().round());
        assertTrue(Files.isDirectory(dir.resolve(OptimizerStateFiles.DIRECTORY)), "the clients' optimizer states");

        Profile saved = ProfileReader.read(dir.resolve(RunDirectory.PROFILE));
        FederatedRun second = FederatedRun.resume(dir, saved, data, settings(runs.resolve("parts")),
                accuracies(resumed), m -> { });
        RunSummary done = second.execute();

        assertEquals(RunSummary.Status.COMPLETED, done.status());
        assertEquals(uninterrupted, resumed, "every round's accuracy, before and after the interruption");
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(RunDirectory.SUMMARY).toFile());
        assertEquals(4, summary.get("rounds_completed").asInt());
        assertEquals(4, summary.get("rounds").size(), "the summary covers the rounds before the interruption too");
        assertEquals(uninterrupted.get(4), summary.get("final_accuracy").asDouble(), 1e-12);
        List<String> rows = Files.readAllLines(dir.resolve(RunDirectory.ROUNDS));
        assertEquals(List.of("1", "2", "3", "4"), rows.stream().skip(1).map(r -> r.split(",")[0]).distinct().toList());
        assertTrue(Files.exists(dir.resolve(RunDirectory.MODEL)));
        assertFalse(Files.exists(dir.resolve(OptimizerStateFiles.DIRECTORY)), "a completed run has nothing to resume");

        Checkpoint.CheckpointException nothingLeft = assertThrows(Checkpoint.CheckpointException.class,
                () -> FederatedRun.resume(dir, saved, data, settings(runs.resolve("parts")), new RunListener() { },
                        m -> { }));
        assertTrue(nothingLeft.getMessage().contains("completed all 4 rounds"), nothingLeft.getMessage());
    }

    private static RunSettings settings(Path runs) {
        return new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(60));
    }

    private static RunListener accuracies(Map<Integer, Double> into) {
        return new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                into.put(report.round(), report.evaluation().accuracy());
            }
        };
    }
}
