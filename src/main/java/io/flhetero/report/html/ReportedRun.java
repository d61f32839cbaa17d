package io.flhetero.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.flhetero.report.RoundsCsv;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory read for the report: its record, summary, rounds.csv rows grouped by round, availability changes
 * and profile. A row a crash cut short is left out; a run without a summary (running, or killed) shows what its
 * rows say.
 */
final class ReportedRun {

    /** A round (asynchronously: a model version) and its rows, one per client or update. */
    record Round(int number, double accuracy, double loss, double seconds, double deviceSeconds,
                 List<RoundsCsv.Row> rows) {
    }

    /** A client going offline or coming back, on the run's device-time clock. */
    record Change(String clientId, boolean online, double deviceSeconds) {
    }

    final RunRecord record;
    final JsonNode summary;
    final List<Round> rounds;
    final List<Change> changes;
    final String profile;
    /** Whether an asynchronous strategy (FedBuff) ran it: its rows are updates with a base version. */
    final boolean asynchronous;
    private final Map<String, JsonNode> clients = new LinkedHashMap<>();
    private String label;

    private ReportedRun(RunRecord record, JsonNode summary, List<Round> rounds, List<Change> changes,
                        String profile) {
        this.record = record;
        this.summary = summary;
        this.rounds = rounds;
        this.changes = changes;
        this.profile = profile;
        this.asynchronous = rounds.stream().flatMap(r -> r.rows().stream())
                .anyMatch(r -> !r.text("base_version").isEmpty());
        for (JsonNode c : summary.path("clients")) {
            clients.put(c.path("id").asText(), c);
        }
        for (Round r : rounds) {
            for (RoundsCsv.Row row : r.rows()) {
                clients.putIfAbsent(row.text("client_id"), MissingNode.getInstance());
            }
        }
        this.label = record.profile() + " (" + record.id() + ")";
    }

    /** @throws IllegalArgumentException when {@code dir} is not a run directory */
    static ReportedRun load(Path dir) throws IOException {
        RunRecord record = RunRecord.read(dir).orElseThrow(() -> new IllegalArgumentException(dir
                + " is not a run directory (it has no " + RunDirectory.PROFILE + ")"));
        JsonNode summary = MissingNode.getInstance();
        Path summaryFile = dir.resolve(RunDirectory.SUMMARY);
        if (Files.exists(summaryFile)) {
            try {
                summary = new ObjectMapper().readTree(summaryFile.toFile());
            } catch (IOException e) {
                // Cut short by a crash: the rows tell the story.
            }
        }
        Path csv = dir.resolve(RunDirectory.ROUNDS);
        Map<Integer, List<RoundsCsv.Row>> byRound = Files.exists(csv) ? RoundsCsv.byRound(csv) : Map.of();
        List<Round> rounds = new ArrayList<>();
        byRound.forEach((n, rows) -> {
            RoundsCsv.Row first = rows.get(0);
            rounds.add(new Round(n, first.number("global_accuracy"), first.number("global_loss"),
                    first.number("round_seconds", 0), first.number("round_simulated_seconds", 0), rows));
        });
        List<Change> changes = new ArrayList<>();
        Path availability = dir.resolve(RunDirectory.AVAILABILITY);
        if (Files.exists(availability)) {
            for (String line : Files.readAllLines(availability).stream().skip(1).toList()) {
                String[] cells = line.split(",");
                if (cells.length == 3 && cells[2].matches("[0-9.]+")) {
                    changes.add(new Change(cells[0], Boolean.parseBoolean(cells[1]), Double.parseDouble(cells[2])));
                }
            }
        }
        Path profileFile = dir.resolve(RunDirectory.PROFILE);
        return new ReportedRun(record, summary, rounds, changes, Files.readString(profileFile));
    }

    /** How the run is named where several are shown together: its profile and id, unless given another name. */
    String label() {
        return label;
    }

    void label(String name) {
        label = name;
    }

    /** The clients, in the order the summary (else rounds.csv) names them. */
    List<String> clients() {
        return List.copyOf(clients.keySet());
    }

    /** The summary's entry of a client; missing when there is none. */
    JsonNode client(String id) {
        return clients.getOrDefault(id, MissingNode.getInstance());
    }

    /** The device class of a client; its id where the run has no summary to say. */
    String deviceClass(String id) {
        return client(id).path("device_class").asText(id);
    }
}
