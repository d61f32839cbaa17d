package io.flhetero.monitor.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.cli.ExitCode;
import io.flhetero.cli.Main;
import io.flhetero.data.DatasetResolver;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import io.flhetero.run.DockerSettings;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerClientRuntime;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.RunLabels;
import io.flhetero.testing.DockerAvailable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run` with Docker starts the monitoring stack: Prometheus (the offline image) scrapes the run, while
 * cAdvisor and Grafana, whose images cannot be had, are skipped with one line each and every series is still
 * exported. After the run, `dashboard` brings Prometheus back over the data the run kept, and `stop` ends it.
 */
class MonitoringStackIT {

    private static final String PROMETHEUS_IMAGE = "fl-hetero/prometheus:2";
    /** A registry on a closed loopback port: the pull fails at once and nothing leaves the machine. */
    private static final String MISSING = "127.0.0.1:1/fl-hetero/missing:none";
    private static DockerEngine engine;

    @BeforeAll
    static void engine() {
        engine = DockerAvailable.engine();
        DockerAvailable.requireImage(engine, PROMETHEUS_IMAGE);
    }

    /** The run this test started: the only one its clean-up may touch (the engine may be shared). */
    private static volatile String ours;

    @AfterAll
    static void close() {
        if (engine != null) {
            if (ours != null) {
                ClientContainers.removeAll(engine.client(), Map.of(RunLabels.RUN, ours));
            }
            engine.close();
        }
    }

    @Test
    void prometheusScrapesTheRunAndMissingImagesAreSkipped(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("it.yaml", """
                rounds: 2
                devices:
                  - {name: one,  cpus: 1,   memory: 1g, batch_size: 16, learning_rate: 0.005}
                  - {name: half, cpus: 0.5, memory: 1g, batch_size: 16, learning_rate: 0.005}
                dataset: {name: synthetic, data_percentage: 1.0}
                """, ProfileOverrides.NONE);
        int prometheusPort = freePort();
        List<String> notices = new CopyOnWriteArrayList<>();
        String[] accuracy = new String[1];
        String[] containerSeries = new String[1];
        FederatedRun[] run = new FederatedRun[1];
        RunSettings settings = new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(120))
                .withDocker(new DockerSettings(DockerAvailable.IMAGE, false, DockerAvailable.JAR)
                .withMonitoring(new MonitoringStack.Settings(PROMETHEUS_IMAGE, prometheusPort, MISSING, freePort(),
                        MISSING, freePort(), null, Path.of("grafana"))));
        run[0] = new FederatedRun(profile, new DatasetResolver(null, null, false, 400, null, m -> { })
                .resolve("synthetic", profile.dataset().seed()), settings, new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                if (report.round() == 2) {
                    accuracy[0] = awaitSeries(prometheusPort, "model_accuracy");
                    containerSeries[0] = run[0].scrape();
                }
            }
        }, notices::add);
        ours = run[0].id();
        assertEquals(RunSummary.Status.COMPLETED, run[0].execute().status());

        assertTrue(notices.stream().anyMatch(n -> n.startsWith("cAdvisor skipped: its image " + MISSING)), notices.toString());
        assertTrue(notices.stream().anyMatch(n -> n.startsWith("Grafana skipped: its image " + MISSING)), notices.toString());
        assertTrue(accuracy[0].contains("model_accuracy"), "Prometheus scraped the run: " + accuracy[0]);
        assertTrue(containerSeries[0].contains("container_memory_rss{name=\"client1\",source=\"docker\"}"),
                "container series from Docker stats without cAdvisor");
        assertTrue(containerSeries[0].contains("container_cpu_usage_seconds_total{name=\"client2\",source=\"docker\"}"));
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run[0].id())).isEmpty(),
                "the stack goes with the run");

        // The dashboard outlives the run: Prometheus comes back over the data it kept in the run directory.
        Path dir = run[0].directory().path();
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(RunDirectory.SUMMARY).toFile());
        int port = freePort();
        assertEquals(ExitCode.OK, Main.execute("dashboard", dir.toString(), "--prometheus-image", PROMETHEUS_IMAGE,
                "--prometheus-port", Integer.toString(port), "--grafana-image", MISSING));
        // Its last scrape came after the summary was written, and nothing after it.
        String end = Long.toString(Instant.parse(summary.get("finished_at").asText()).plusSeconds(30).getEpochSecond());
        JsonNode kept = new ObjectMapper().readTree(awaitSeries(port, "model_accuracy", end));
        assertEquals(summary.get("final_accuracy").asDouble(), kept.at("/data/result/0/value/1").asDouble(), 1e-9,
                "the run's last value, from the data it kept: " + kept);
        assertEquals(ExitCode.BAD_INPUT, Main.execute("dashboard", dir.toString(), "--prometheus-image",
                PROMETHEUS_IMAGE, "--prometheus-port", Integer.toString(port)), "its port is taken now");
        assertTrue(DockerClientRuntime.leftovers(engine).stream().noneMatch(c -> run[0].id().equals(
                c.getLabels().get(RunLabels.RUN))), "a dashboard is in no later run's way");
        assertEquals(ExitCode.OK, Main.execute("stop", run[0].id()));
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run[0].id())).isEmpty(),
                "`stop RUN` takes the dashboard down");
    }

    private static String awaitSeries(int port, String query) {
        return awaitSeries(port, query, null);
    }

    /** Polls Prometheus' query API until the series has a value (it scrapes every 2 s); at {@code time} if given. */
    private static String awaitSeries(int port, String query, String time) {
        String body = "";
        for (int i = 0; i < 40; i++) {
            try {
                body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + (time == null ? "" : "&time=" + time)))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                JsonNode json = new ObjectMapper().readTree(body);
                if (json.get("data").get("result").size() > 0) {
                    return body;
                }
            } catch (Exception e) {
                body = e.toString();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return body;
            }
        }
        return body;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
