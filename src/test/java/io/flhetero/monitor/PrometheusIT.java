package io.flhetero.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.data.Dataset;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RunSummary;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;
import io.flhetero.testing.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's package, as a process) scrapes a run of 2 clients for 3 rounds, and every query
 * of every dashboard panel returns data. Skipped without the binary, except in CI, where it fails.
 */
class PrometheusIT {

    private static final Path BINARY = Path.of(System.getenv().getOrDefault("PROMETHEUS", "/usr/bin/prometheus"));
    private static final String PROFILE = """
            rounds: 3
            devices:
              - {name: strong, cpus: 1,   memory: 2g, batch_size: 32, learning_rate: 0.01}
              - {name: weak,   cpus: 0.5, memory: 1g, batch_size: 32, learning_rate: 0.01}
            dataset: {name: synthetic, data_percentage: 1.0}
            model: {batchnorm_momentum: 0.9}
            """;

    @Test
    void everyDashboardQueryReturnsDataFromARun(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            Requirement.missing("Prometheus", "no Prometheus at " + BINARY + " (apt-get install prometheus, or "
                    + "set PROMETHEUS)");
        }
        int port = freePort();
        List<String> queries = DashboardTest.queries(DashboardTest.dashboard());
        Map<String, Integer> results = new LinkedHashMap<>();
        Process[] prometheus = new Process[1];
        FederatedRun[] run = new FederatedRun[1];
        Profile profile = ProfileReader.parse("it.yaml", PROFILE, ProfileOverrides.NONE);
        Dataset data = new Dataset("synthetic", "test", true, SyntheticCifar.generate(640, 1), SyntheticCifar.generate(10, 2));
        run[0] = new FederatedRun(profile, data, new RunSettings(dir.resolve("runs"), "127.0.0.1", 0,
                Duration.ofSeconds(60)), new RunListener() {
            @Override
            public void clientRegistered(RegisteredClient client) {
                if (prometheus[0] == null) {
                    prometheus[0] = start(dir, run[0].metricsUrl(), port);
                }
            }

            @Override
            public void roundFinished(RoundReport report) {
                if (report.round() == 3) {
                    // Scrapes every 2 s; rates need two samples. Rounds take well under a second, so wait for the
                    // data (up to 40 s) instead of a fixed time.
                    long deadline = System.nanoTime() + 40_000_000_000L;
                    do {
                        sleep(1_000);
                        for (String q : queries) {
                            results.put(q, resultCount(port, q));
                        }
                        results.put("up{job=\"fl-hetero\"} == 1", resultCount(port, "up{job=\"fl-hetero\"} == 1"));
                    } while (results.containsValue(0) && System.nanoTime() < deadline);
                }
            }
        });
        try {
            assertEquals(RunSummary.Status.COMPLETED, run[0].execute().status());
        } finally {
            if (prometheus[0] != null) {
                prometheus[0].destroy();
                prometheus[0].waitFor();
            }
        }
        assertEquals(queries.size() + 1, results.size());
        results.forEach((query, count) -> assertTrue(count > 0, "no data for panel query: " + query + "\nall: " + results));
    }

    private static Process start(Path dir, String metricsUrl, int port) {
        try {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, ScrapeConfig.render(URI.create(metricsUrl).getAuthority(), null));
            Process p = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            for (int i = 0; i < 100 && !ready(port); i++) {
                sleep(100);
            }
            return p;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + BINARY, e);
        }
    }

    private static boolean ready(int port) {
        try {
            return get(port, "/-/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static int resultCount(int port, String query) {
        try {
            HttpResponse<String> r = get(port, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            JsonNode json = new ObjectMapper().readTree(r.body());
            assertEquals("success", json.get("status").asText(), query + ": " + r.body());
            return json.get("data").get("result").size();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("query failed: " + query, e);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
