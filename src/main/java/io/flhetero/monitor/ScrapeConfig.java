package io.flhetero.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus configuration of a run: it scrapes fl-hetero's own /metrics (the server, every client's
 * series and the built-in container series) and cAdvisor when it runs. The top-level prometheus/prometheus.yml
 * is this rendering for the default ports.
 */
public final class ScrapeConfig {

    public static final int DEFAULT_PORT = 9090;
    public static final int CADVISOR_PORT = 8080;
    public static final long SCRAPE_INTERVAL_MILLIS = 2000;
    static final String SCRAPE_INTERVAL = SCRAPE_INTERVAL_MILLIS / 1000 + "s";

    private ScrapeConfig() {
    }

    /** For a finished run's data: nothing to scrape, the stored series to query. */
    public static String renderNothing() {
        return "# Rendered by `fl-hetero dashboard`: a finished run's data, nothing to scrape.\nscrape_configs: []\n";
    }

    /** @param cadvisor host:port of cAdvisor, or null when it does not run */
    public static String render(String metricsTarget, String cadvisor) {
        List<String> lines = new ArrayList<>(List.of(
                "# Rendered by `fl-hetero run` for each run (runs/<run-id>/prometheus.yml).",
                "global:",
                "  scrape_interval: " + SCRAPE_INTERVAL,
                "  evaluation_interval: " + SCRAPE_INTERVAL,
                "scrape_configs:",
                "  # The FL server: model, rounds, every client's series, and per-container series.",
                "  - job_name: fl-hetero",
                "    static_configs:",
                "      - targets: ['" + metricsTarget + "']"));
        if (cadvisor != null) {
            lines.addAll(List.of(
                    "  - job_name: cadvisor",
                    "    static_configs:",
                    "      - targets: ['" + cadvisor + "']"));
        }
        return String.join("\n", lines) + "\n";
    }
}
