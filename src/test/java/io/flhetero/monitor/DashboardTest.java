package io.flhetero.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grafana cannot run here: its provisioning and dashboard are checked structurally. */
class DashboardTest {

    static final Path DASHBOARD = Path.of("grafana", "dashboards", "fl-hetero.json");
    static final Path DATASOURCE = Path.of("grafana", "provisioning", "datasources", "prometheus.yml");

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Every PromQL expression of every panel. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                panel.get("targets").forEach(t -> queries.add(t.get("expr").asText()));
            }
        }
        return queries;
    }

    @Test
    void panelsHaveUniqueIdsAndTheDashboardAFixedUid() throws IOException {
        JsonNode d = dashboard();
        assertEquals("fl-hetero", d.get("uid").asText());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : d.get("panels")) {
            assertTrue(ids.add(panel.get("id").asInt()), "duplicate panel id " + panel.get("id"));
        }
        assertTrue(queries(d).size() >= 15, "a query per series the issue asks for");
    }

    @Test
    void everyPanelNamesTheProvisionedDatasourceByUid() throws IOException {
        JsonNode ds = new YAMLMapper().readTree(DATASOURCE.toFile()).get("datasources").get(0);
        String uid = ds.get("uid").asText();
        assertEquals("prometheus", ds.get("type").asText());
        assertEquals("${FL_HETERO_PROMETHEUS_URL}", ds.get("url").asText(), "the URL follows the run's networking");
        for (JsonNode panel : dashboard().get("panels")) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertEquals(uid, panel.get("datasource").get("uid").asText(), panel.get("title").asText());
            panel.get("targets").forEach(t -> assertEquals(uid, t.get("datasource").get("uid").asText(),
                    panel.get("title").asText()));
        }
    }

    @Test
    void coversTheRowsTheProductPromises() throws IOException {
        List<String> rows = new ArrayList<>();
        dashboard().get("panels").forEach(p -> {
            if (p.get("type").asText().equals("row")) {
                rows.add(p.get("title").asText());
            }
        });
        assertEquals(List.of("Model", "CPU", "Memory", "Network", "Rounds", "Clients", "Failures", "Devices"), rows);
        String all = String.join("\n", queries(dashboard()));
        for (String series : List.of("model_accuracy", "model_loss", "container_cpu_usage_seconds_total",
                "container_spec_cpu_quota", "container_memory_rss", "container_memory_cache",
                "container_spec_memory_limit_bytes", "container_network_receive_bytes_total",
                "container_network_transmit_bytes_total", "fl_round_duration_seconds_count", "fl_round_device_seconds_sum",
                "fl_round_straggler_wait_seconds",
                "fl_client_fit_duration_seconds", "fl_client_samples_per_second", "fl_client_failures_total",
                "fl_client_cpu_limit", "fl_client_memory_limit_bytes", "fl_client_online",
                "fl_client_transfer_seconds")) {
            assertTrue(all.contains(series), "the dashboard shows " + series);
        }
    }

    @Test
    void grafanaIsReadOnlyForVisitorsAndHasNoDefaultPassword() throws IOException {
        String ini = Files.readString(Path.of("grafana", "grafana.ini"));
        assertTrue(ini.contains("[auth.anonymous]\nenabled = true\norg_role = Viewer"), ini);
        assertFalse(ini.contains("admin_password"), "the admin password comes from the environment, never the file");
        assertTrue(ini.contains("default_home_dashboard_path = /var/lib/grafana/dashboards/fl-hetero.json"));
        JsonNode provider = new YAMLMapper().readTree(Path.of("grafana", "provisioning", "dashboards", "fl-hetero.yml")
                .toFile()).get("providers").get(0);
        assertEquals("/var/lib/grafana/dashboards", provider.get("options").get("path").asText());
    }

    @Test
    void theShippedPrometheusConfigIsTheRenderingForTheDefaultPorts() throws IOException {
        assertEquals(ScrapeConfig.render("127.0.0.1:8000", "127.0.0.1:" + ScrapeConfig.CADVISOR_PORT),
                Files.readString(Path.of("prometheus", "prometheus.yml")));
    }
}
