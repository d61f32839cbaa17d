package io.flhetero.run;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end in-process: 2 unequal clients, 3 rounds, metrics scraped over HTTP, the run directory read back. */
class FederatedRunTest {

    private static final String PROFILE = """
            name: e2e
            rounds: 3
            devices:
              - {name: strong, cpus: 1,   memory: 2g, batch_size: 32, learning_rate: 0.01}
              - {name: weak,   cpus: 0.5, memory: 1g, batch_size: 32, learning_rate: 0.01}
            dataset: {name: synthetic, data_percentage: 1.0, test_split: 0.2}
            model: {alpha: 0.1, batchnorm_momentum: 0.9}
            strategy: {round_timeout: 5m}
            """;

    @Test
    void twoClientsThreeRounds(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("e2e.yaml", PROFILE, ProfileOverrides.NONE);
        Dataset data = new Dataset("synthetic", "test", true, SyntheticCifar.generate(1600, 1),
                SyntheticCifar.generate(100, 2));
        List<RoundReport> rounds = new ArrayList<>();
        String[] scraped = new String[1];
        FederatedRun[] run = new FederatedRun[1];
        RunListener probe = new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                rounds.add(report);
                if (report.round() == 3) {
                    scraped[0] = get(run[0].metricsUrl());
                }
            }
        };
        run[0] = new FederatedRun(profile, data, new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(60)), probe);
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        RunSummary summary;
        try {
            summary = run[0].execute();
        } finally {
            root.detachAppender(logged);
        }
        assertEquals(List.of(), logged.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList(), "a run that ends well logs no error on its way out");

        assertEquals(RunSummary.Status.COMPLETED, summary.status());
        assertEquals(3, rounds.size());
        double first = rounds.get(0).evaluation().accuracy();
        double last = rounds.get(2).evaluation().accuracy();
        assertTrue(last > first && last > 0.2, "accuracy rises: round 1 " + first + ", round 3 " + last);

        String metrics = scraped[0];
        assertNotNull(metrics, "/metrics answered during the run");
        assertEquals(last, value(metrics, "model_accuracy"), 1e-9);
        assertTrue(value(metrics, "model_loss") > 0);
        assertEquals(3, value(metrics, "fl_round"));
        assertEquals(3, value(metrics, "fl_round_duration_seconds_count"), "a histogram counts every round");
        assertTrue(value(metrics, "fl_round_duration_seconds_sum") > 0);
        assertEquals(3, value(metrics, "fl_round_device_seconds_bucket{le=\"3600.0\"}"), metrics.lines()
                .filter(l -> l.startsWith("fl_round_device_seconds")).toList().toString());
        assertEquals(2, value(metrics, "fl_clients_available"));
        assertTrue(metrics.contains("fl_run{dataset=\"synthetic\",profile=\""), "the run tells itself apart: "
                + metrics.lines().filter(l -> l.startsWith("fl_run")).toList());
        assertTrue(metrics.contains(",run_id=\"" + run[0].id() + "\",runtime=\"local\",version=\"dev\"} 1.0"),
                metrics.lines().filter(l -> l.startsWith("fl_run")).toList().toString());
        String weak = "{client_id=\"client2\",device_class=\"weak\"}";
        String strong = "{client_id=\"client1\",device_class=\"strong\"}";
        assertEquals(0.5, value(metrics, "fl_client_cpu_limit" + weak));
        assertEquals(1L << 30, value(metrics, "fl_client_memory_limit_bytes" + weak));
        assertEquals(640, value(metrics, "fl_client_examples" + strong));
        assertTrue(value(metrics, "fl_client_fit_duration_seconds" + strong) > 0);
        assertTrue(value(metrics, "fl_client_samples_per_second" + strong) > 0);
        assertTrue(value(metrics, "fl_client_fit_device_seconds" + weak)
                > value(metrics, "fl_client_fit_device_seconds" + strong) * 1.3, "the 0.5-CPU client is the straggler "
                + "in device time");
        assertTrue(value(metrics, "fl_client_device_seconds_total" + weak) > 0);
        double clientAccuracy = value(metrics, "fl_client_test_accuracy" + strong);
        assertTrue(clientAccuracy >= 0 && clientAccuracy <= 1);
        assertTrue(value(metrics, "fl_client_train_loss" + strong) > 0);
        assertEquals(0, value(metrics, "fl_client_failures_total{client_id=\"client1\",device_class=\"strong\",reason=\"oom\"}"));
        assertTrue(metrics.contains("vertx_eventbus_"), "Vert.x event-bus metrics are exported");

        Path dir = run[0].directory().path();
        List<String> csv = Files.readAllLines(dir.resolve(RunDirectory.ROUNDS));
        assertEquals(1 + 3 * 2, csv.size(), "a header and one row per round and client");
        int columns = csv.get(0).split(",", -1).length;
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",", -1);
            assertEquals(columns, cells.length, row);
            assertEquals("ok", cells[2], row);
            List<String> header = List.of(csv.get(0).split(","));
            List<String> emptyHere = List.of("reason", "base_version", "staleness", "update_weight"); // FedBuff's
            for (int i = 0; i < columns; i++) {
                if (!emptyHere.contains(header.get(i))) { // the reason is empty for a client that contributed
                    assertFalse(cells[i].isEmpty(), "column " + csv.get(0).split(",")[i] + " is filled: " + row);
                }
            }
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve(RunDirectory.SUMMARY).toFile());
        assertEquals("completed", json.get("status").asText());
        assertEquals(3, json.get("rounds_completed").asInt());
        assertTrue(json.get("dataset").get("synthetic").asBoolean());
        assertEquals(last, json.get("final_accuracy").asDouble(), 1e-12);
        assertEquals(2, json.get("clients").size());
        assertEquals(640, json.get("clients").get(0).get("train_examples").asInt());
        assertEquals(3, json.get("rounds").size());
        assertTrue(json.get("simulated_seconds_total").asDouble() > 0);
        assertEquals(106_122, ModelSerializer.restoreComputationGraph(dir.resolve(RunDirectory.MODEL).toFile(), false)
                .numParams());
        Profile again = ProfileReader.read(dir.resolve(RunDirectory.PROFILE));
        assertEquals(profile.devices(), again.devices(), "the run's profile copy can be run again");
    }

    private static String get(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            return response.body();
        } catch (Exception e) {
            throw new AssertionError("GET " + url + " failed", e);
        }
    }

    /** The value of one series in Prometheus text format; the series is its name and labels as printed. */
    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "no series " + series + " in:\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
