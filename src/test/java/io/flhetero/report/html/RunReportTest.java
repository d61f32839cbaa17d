package io.flhetero.report.html;

import io.flhetero.report.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report.html from run directories written here by hand: what each figure holds, and the runs a report must
 * survive (a killed run without summary, a row cut short by a crash, an older rounds.csv, names to escape). Its
 * rendering in a real browser is {@link ReportInBrowserTest}'s.
 */
class RunReportTest {

    private static final String HEADER = "round,client_id,status,reason,examples,batch_size,steps,planned_steps,"
            + "fit_seconds,simulated_seconds,transfer_seconds,evaluate_seconds,round_simulated_seconds,round_seconds,"
            + "global_accuracy,global_loss,memory_bytes,test_accuracy";

    @Test
    void eachRoundOfEachClientIsOnTheDeviceTimeClock(@TempDir Path runs) throws Exception {
        Path run = run(runs, "r1", """
                1,c1,ok,,100,10,10,10,1.0,4.0,1.0,1.0,9.0,2.0,0.30,2.0,104857600,0.3
                1,c2,ok,,100,10,5,10,1.0,8.0,0,0.5,9.0,2.0,0.30,2.0,209715200,0.3
                2,c1,ok,,100,10,10,10,1.0,4.0,1.0,1.0,5.0,2.0,0.50,1.5,104857600,0.5
                2,c2,failed,offline,,,,,,,,,5.0,2.0,0.50,1.5,,
                3,c1,ok,,100,10,10,10,1.0,4.0,1.0,1.0,5.0,2.0,0.60,1.2,1048576""");
        Path csv = run.resolve(RunDirectory.ROUNDS);
        Files.writeString(csv, Files.readString(csv).stripTrailing()); // the crash came before round 3's line end
        Files.writeString(run.resolve(RunDirectory.AVAILABILITY), "client_id,online,device_seconds\nc2,false,10.5\n");
        Map<String, Element> charts = charts(page(run));

        Element byDevice = charts.get("accuracy-by-device-time");
        assertEquals("1", byDevice.getAttribute("data-series"));
        List<double[]> points = points(byDevice);
        assertEquals(2, points.size(), "round 3's row was cut short by a crash: two rounds");
        assertTrue(points.get(0)[0] < points.get(1)[0] && points.get(0)[1] > points.get(1)[1], "x grows with device "
                + "time, y (drawn downwards) with accuracy");

        Element timeline = charts.get("timeline-r1");
        assertEquals("2", timeline.getAttribute("data-series"), "a row per client");
        Map<String, Integer> kinds = new LinkedHashMap<>();
        NodeList rects = timeline.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (r.hasAttribute("data-kind")) {
                kinds.merge(r.getAttribute("data-kind"), 1, Integer::sum);
            }
        }
        // c1: receive, fit, send, evaluate in both rounds, waiting in round 1 for c2's longer fit;
        // c2: a fit cut by a deadline, evaluation, waiting for c1's longer evaluation; then failed (offline), and
        // offline from 10.5 s to the end.
        assertEquals(Map.of("transfer", 4, "fit", 2, "cut", 1, "idle", 2, "evaluation", 3, "failed", 1, "offline", 1),
                kinds, kinds.toString());

        Element memory = charts.get("memory-r1");
        assertEquals("2", memory.getAttribute("data-series"), "a bar per device class");
        assertTrue(text(memory).contains("limit 1024"), "the class's limit is drawn: " + text(memory));
        String html = page(run);
        assertTrue(html.contains("<td>offline ×1</td>"), "c2's failure in the clients' table");
        assertEquals(2, html.split(">1 round<", -1).length - 1, "c2 was the slowest of round 1, c1 of round 2");
    }

    @Test
    void aKilledRunWithAnOlderRoundsFileStillGetsItsCurves(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("killed");
        Files.createDirectories(run);
        Files.writeString(run.resolve(RunDirectory.PROFILE), "name: <b>&odd</b>\n");
        Files.writeString(run.resolve(RunDirectory.ROUNDS), "round,client_id,status,reason,examples,fit_seconds,"
                + "simulated_seconds,round_seconds,round_simulated_seconds,global_loss,global_accuracy\n"
                + "1,c1,ok,,10,1,2,1,2,2.0,0.2\n2,c1,ok,,10,1,2,1,2,1.9,0.25\n");
        String html = page(run);
        Map<String, Element> charts = charts(html); // well-formed SVG, or this fails
        assertEquals(2, points(charts.get("accuracy-by-round")).size());
        assertTrue(html.contains("unfinished") && html.contains("&lt;b&gt;&amp;odd&lt;/b&gt;")
                && !html.contains("<b>&odd"), "its status, and its name escaped");
        assertTrue(text(charts.get("memory-killed")).contains("not recorded"), "no memory column in older runs");
    }

    @Test
    void severalRunsAreOverlaidOneSeriesEach(@TempDir Path runs) throws Exception {
        Path a = run(runs, "a", "1,c1,ok,,100,10,10,10,1.0,4.0,0,0,4.0,2.0,0.30,2.0,,\n"
                + "1,c2,failed,timeout,100,10,10,10,1.0,3.0,0,,4.0,2.0,0.30,2.0,,");
        Path b = run(runs, "b", "1,c1,ok,,100,10,10,10,1.0,4.0,0,0,4.0,2.0,0.35,1.9,,\n"
                + "2,c1,ok,,100,10,10,10,1.0,4.0,0,0,4.0,2.0,0.40,1.8,,\n"
                + "2,c2,failed,dropped,,,,,,,,,4.0,2.0,0.40,1.8,,\n"
                + "1,c2,failed,oom,,,,,,,,,4.0,2.0,0.35,1.9,,\n"
                + "3,c2,ok,,100,10,10,10,1.0,4.0,0,0,4.0,2.0,0.45,1.7,,");
        Path out = runs.resolve("both.html");
        RunReport.write(List.of(a, b), out);
        Map<String, Element> charts = charts(Files.readString(out));
        for (String id : List.of("accuracy-by-round", "accuracy-by-device-time", "accuracy-by-wall-time",
                "loss-by-round")) {
            assertEquals("2", charts.get(id).getAttribute("data-series"), id);
            assertEquals(2, charts.get(id).getElementsByTagName("path").getLength(), id);
        }
        assertTrue(charts.containsKey("timeline-a") && charts.containsKey("timeline-b"), "each run's own part");
        String html = Files.readString(out);
        assertTrue(html.contains("data-kind=\"dropped\""), "over-selection's dropped work is told apart from "
                + "failures");
        assertTrue(html.contains("data-kind=\"restarted\""), "an OOM kill the client came back from, too");
        assertTrue(html.contains("c2: round 1: fit, 10 of 10") && html.contains("its fit was kept, its evaluation "
                + "failed (timeout)"), "a kept fit whose evaluation failed is drawn as both");
        assertTrue(html.contains("<td class=\"n\">1</td><td class=\"n\">3.00</td>"), "and counted as a fit");
        assertFalse(Files.exists(runs.resolve("both.html.tmp")));
    }

    @Test
    void aFolderThatIsNoRunIsRefused(@TempDir Path runs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunReport.write(List.of(runs), runs.resolve("r.html")));
        assertTrue(e.getMessage().contains("is not a run directory"), e.getMessage());
    }

    @Test
    void ticksAreRoundNumbersCoveringTheData() {
        Scale s = Scale.of(0.12, 0.67, 0, 100);
        List<Double> ticks = s.ticks();
        assertEquals(5, ticks.size(), ticks.toString());
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8"), ticks.stream().map(s::label).toList());
        assertEquals(0.0, s.at(0), 1e-9);
        assertEquals(100.0, s.at(0.8), 1e-9);
        assertEquals("20", Scale.of(0, 93, 0, 1).label(20));
    }

    /** A run directory with a summary (2 clients of 2 classes) and the given rows of rounds.csv. */
    private static Path run(Path runs, String id, String rows) throws Exception {
        Path dir = Files.createDirectories(runs.resolve(id));
        Files.writeString(dir.resolve(RunDirectory.PROFILE), "name: mix\n");
        Files.writeString(dir.resolve(RunDirectory.ROUNDS), HEADER + "\n" + rows + "\n");
        Files.writeString(dir.resolve(RunDirectory.SUMMARY), """
                {"run_id": "%s", "status": "completed", "profile": "mix", "runtime": "local",
                 "rounds_planned": 3, "rounds_completed": 2, "final_accuracy": 0.5,
                 "clients": [
                  {"id": "c1", "device_class": "strong", "cpus": 1.0, "memory": "1g", "failures": {}},
                  {"id": "c2", "device_class": "weak", "cpus": 0.5, "memory": "512m", "failures": {"offline": 1}}]}
                """.formatted(id));
        return dir;
    }

    private static String page(Path run) throws Exception {
        Path out = run.resolve(RunReport.FILE);
        RunReport.write(List.of(run), out);
        return Files.readString(out);
    }

    /** Every chart of the page by its id, each parsed as XML. */
    private static Map<String, Element> charts(String html) throws Exception {
        Map<String, Element> charts = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?s)<svg .*?</svg>").matcher(html);
        while (m.find()) {
            Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
            charts.put(svg.getDocumentElement().getAttribute("data-chart"), svg.getDocumentElement());
        }
        return charts;
    }

    /** The points of a line chart's (first) series. */
    private static List<double[]> points(Element chart) {
        List<double[]> points = new ArrayList<>();
        NodeList dots = chart.getElementsByTagName("circle");
        for (int i = 0; i < dots.getLength(); i++) {
            Element dot = (Element) dots.item(i);
            points.add(new double[]{Double.parseDouble(dot.getAttribute("cx")),
                    Double.parseDouble(dot.getAttribute("cy"))});
        }
        return points;
    }

    private static String text(Element e) {
        return e.getTextContent();
    }
}
