package io.flhetero.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.flhetero.cli.ExitCode;
import io.flhetero.cli.Main;
import io.flhetero.testing.HeadlessChromium;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report.html of real runs (a synchronous one and a FedBuff one, on synthetic data: this is about drawing, not
 * accuracy) rendered by headless Chromium: every plot is drawn, with as many series as runs, and the console stays
 * free of errors.
 */
class ReportInBrowserTest {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    /** Started before the streams are captured, so that a line saying why the test is skipped is seen. */
    private static HeadlessChromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    /** Each chart's id, its series count as written, and what the browser laid out for it. */
    private static final String CHARTS = """
            [...document.querySelectorAll('svg.chart')].map(svg => ({
              id: svg.dataset.chart,
              series: Number(svg.dataset.series),
              width: svg.getBoundingClientRect().width,
              lines: [...svg.querySelectorAll('g.series path')].map(p => p.getTotalLength()),
              marks: [...svg.querySelectorAll('g.series rect, rect.segment')]
                .filter(r => r.getBoundingClientRect().width > 0 && r.getBoundingClientRect().height > 0).length
            }))""";

    @Test
    void theReportsOfRealRunsDrawEveryPlotWithoutConsoleErrors(@TempDir Path runs) throws Exception {
        String sync = run(runs, "quickstart", "--rounds", "3");
        String async = run(runs, "stragglers-async", "--rounds", "4");
        Path single = runs.resolve(sync).resolve(RunReport.FILE);
        assertTrue(Files.isRegularFile(single), "run writes report.html at its end:\n" + streams.out());
        assertTrue(streams.out().contains("report: " + single), streams.out());
        assertEquals(ExitCode.OK, Main.execute("report", "--runs-dir", runs.toString(), sync, async), streams.err());
        Path both = runs.resolve(RunReport.FILE);

        Map<String, JsonNode> charts = open(single);
        for (String id : List.of("accuracy-by-round", "accuracy-by-device-time", "accuracy-by-wall-time",
                "loss-by-round")) {
            JsonNode chart = charts.get(id);
            assertEquals(1, chart.get("series").asInt(), id);
            assertEquals(1, chart.get("lines").size(), id);
            assertTrue(chart.get("lines").get(0).asDouble() > 50, id + ": a line through 3 rounds: " + chart);
        }
        JsonNode timeline = charts.get("timeline-" + sync);
        assertEquals(2, timeline.get("series").asInt(), "quickstart's 2 clients");
        assertTrue(timeline.get("marks").asInt() >= 2 * 3 * 2, "at least a fit and an evaluation per client and "
                + "round: " + timeline);
        assertEquals(2, charts.get("throughput-" + sync).get("marks").asInt(), "a bar per device class");
        assertEquals(2, charts.get("memory-" + sync).get("marks").asInt(), "memory was measured: "
                + charts.get("memory-" + sync));

        charts = open(both);
        for (String id : List.of("accuracy-by-round", "accuracy-by-device-time", "loss-by-round")) {
            assertEquals(2, charts.get(id).get("lines").size(), id + ": both runs overlaid");
        }
        assertTrue(charts.get("timeline-" + async).get("marks").asInt() >= 4, "FedBuff's updates: "
                + charts.get("timeline-" + async));
        assertEquals(List.of(), browser.errors(), "the console");
    }

    /** The charts the browser drew, by id; none of zero width. */
    private static Map<String, JsonNode> open(Path page) throws Exception {
        browser.open(page);
        Map<String, JsonNode> charts = new HashMap<>();
        for (JsonNode chart : browser.evaluate(CHARTS)) {
            assertTrue(chart.get("width").asDouble() > 100, "laid out: " + chart);
            charts.put(chart.get("id").asText(), chart);
        }
        return charts;
    }

    /** Runs a profile in-process on tiny synthetic data; its run id. */
    private String run(Path runs, String profile, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--runtime", "local", "--profile", profile,
                "--dataset", "synthetic", "--synthetic-examples", "400", "--metrics-port", "0", "--runs-dir",
                runs.toString()));
        args.addAll(List.of(options));
        List<Path> before;
        try (Stream<Path> dirs = Files.list(runs)) {
            before = dirs.toList();
        }
        assertEquals(ExitCode.OK, Main.execute(args.toArray(String[]::new)), streams.err());
        try (Stream<Path> dirs = Files.list(runs)) {
            return dirs.filter(d -> Files.isDirectory(d) && !before.contains(d)).findFirst().orElseThrow()
                    .getFileName().toString();
        }
    }
}
