package io.flhetero.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.profile.ProfileReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a run directory says about its run, for listing and comparing runs: from its summary.json, or, while it
 * runs or after a crash that left no summary, from its name and profile.
 *
 * @param status        completed, failed, interrupted (the summary's), running (a process holds it), or
 *                      unfinished (no process holds it and no summary was written: killed)
 * @param rounds        rounds (asynchronously: model versions) completed
 * @param finalAccuracy the last evaluation's accuracy; null when none
 * @param wallSeconds   wall time of its rounds
 * @param deviceSeconds device time of its rounds
 * @param failures      client failures of all kinds, summed
 * @param accuracies    the global model's accuracy after each round; null where it was not evaluated
 */
public record RunRecord(Path dir, String id, String profile, String status, String runtime, String dataset,
                        int rounds, int roundsPlanned, Double finalAccuracy, Double bestAccuracy, String startedAt,
                        double wallSeconds, double deviceSeconds, int failures, List<Double> accuracies) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The runs under {@code runsDir}, newest first (by start time; those without one by id, which begins with it). */
    public static List<RunRecord> list(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                read(dir).ifPresent(records::add);
            }
        }
        records.sort(Comparator.comparing(RunRecord::started).thenComparing(RunRecord::id).reversed());
        return records;
    }

    /** The run of a run directory; empty when the folder is not one. */
    public static Optional<RunRecord> read(Path dir) throws IOException {
        Path summary = dir.resolve(RunDirectory.SUMMARY);
        boolean live = RunDirectory.live(dir);
        if (!Files.exists(summary)) {
            if (!Files.exists(dir.resolve(RunDirectory.PROFILE))) {
                return Optional.empty();
            }
            return Optional.of(withoutSummary(dir, live));
        }
        JsonNode s;
        try {
            s = JSON.readTree(summary.toFile());
        } catch (IOException e) {
            return Optional.of(withoutSummary(dir, live)); // cut short by a crash
        }
        int failures = 0;
        for (JsonNode client : s.path("clients")) {
            for (JsonNode n : client.path("failures")) {
                failures += n.asInt();
            }
        }
        List<Double> accuracies = new ArrayList<>();
        for (JsonNode round : s.path("rounds")) {
            accuracies.add(number(round.path("accuracy")));
        }
        String status = live ? "running" : s.path("status").asText("?");
        return Optional.of(new RunRecord(dir, s.path("run_id").asText(dir.getFileName().toString()),
                s.path("profile").asText("?"), status, s.path("runtime").asText("?"),
                s.path("dataset").path("name").asText("?"), s.path("rounds_completed").asInt(),
                s.path("rounds_planned").asInt(), number(s.path("final_accuracy")), number(s.path("best_accuracy")),
                s.path("started_at").asText(""), s.path("round_seconds_total").asDouble(),
                s.path("simulated_seconds_total").asDouble(), failures, accuracies));
    }

    /** When it started: its summary's time, else the local time its id begins with; the epoch when neither says. */
    Instant started() {
        try {
            return Instant.parse(startedAt);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(id.substring(0, Math.min(15, id.length())), ID_TIME)
                        .atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException again) {
                return Instant.EPOCH;
            }
        }
    }

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The fields a script reads ({@code --format json}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", id);
        m.put("directory", dir.toString());
        m.put("profile", profile);
        m.put("status", status);
        m.put("runtime", runtime);
        m.put("dataset", dataset);
        m.put("rounds_completed", rounds);
        m.put("rounds_planned", roundsPlanned);
        m.put("final_accuracy", finalAccuracy);
        m.put("best_accuracy", bestAccuracy);
        m.put("started_at", startedAt);
        m.put("round_seconds_total", wallSeconds);
        m.put("simulated_seconds_total", deviceSeconds);
        m.put("failures", failures);
        m.put("accuracies", accuracies);
        return m;
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    /** A run that is running, or was killed before its summary: what its profile and rounds.csv say. */
    private static RunRecord withoutSummary(Path dir, boolean live) {
        String profile;
        try {
            profile = ProfileReader.read(dir.resolve(RunDirectory.PROFILE)).name();
        } catch (RuntimeException e) {
            profile = "?";
        }
        return new RunRecord(dir, dir.getFileName().toString(), profile, live ? "running" : "unfinished", "?", "?",
                roundsInCsv(dir), 0, null, null, "", 0, 0, 0, List.of());
    }

    /** Rounds in rounds.csv (a row cut short by a crash is not one). */
    private static int roundsInCsv(Path dir) {
        try {
            return (int) RoundsCsv.read(dir.resolve(RunDirectory.ROUNDS)).stream().map(RoundsCsv.Row::round)
                    .distinct().count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
