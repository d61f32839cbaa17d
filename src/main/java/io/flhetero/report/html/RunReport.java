package io.flhetero.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.profile.MemorySize;
import io.flhetero.report.RoundsCsv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * report.html: one self-contained page about one run, or several overlaid. Its plots are SVG written here, not a
 * charting library: the file opens anywhere without network or scripts, stays small, prints, and its figures can
 * be checked in a test as elements.
 */
public final class RunReport {

    public static final String FILE = "report.html";

    /** Clients drawn in a run's timeline; a larger run shows its first ones and says so. */
    static final int TIMELINE_CLIENTS = 60;

    private static final double MIB = 1 << 20;

    private final List<ReportedRun> runs;

    private RunReport(List<ReportedRun> runs) {
        this.runs = runs;
    }

    /**
     * Writes the report of the runs in {@code runDirs} (overlaid when several) to {@code output}.
     *
     * @throws IllegalArgumentException when a folder is not a run directory
     */
    public static void write(List<Path> runDirs, Path output) throws IOException {
        write(runDirs, null, output);
    }

    /**
     * The same, each run named by its label where they are overlaid (e.g. a benchmark's approaches).
     *
     * @param labels one per run, or null: each run's profile and id
     */
    public static void write(List<Path> runDirs, List<String> labels, Path output) throws IOException {
        List<ReportedRun> runs = new ArrayList<>();
        for (int i = 0; i < runDirs.size(); i++) {
            ReportedRun run = ReportedRun.load(runDirs.get(i));
            if (labels != null) {
                run.label(labels.get(i));
            }
            runs.add(run);
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        Files.writeString(tmp, new RunReport(runs).html());
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String html() {
        String title = runs.size() == 1 ? "fl-hetero run " + runs.get(0).record.id()
                : "fl-hetero: " + runs.size() + " runs compared";
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(Html.escape(title)).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        b.append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"meta\">written ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" by fl-hetero ")
                .append(Html.escape(ThisProgram.version())).append("</p>\n");
        if (runs.size() > 1) {
            comparison(b);
        }
        b.append("<section><h2>Accuracy and loss</h2>\n<div class=\"charts\">\n");
        b.append(curve("accuracy-by-round", "Accuracy of the global model by round", Clock.ROUND, "accuracy",
                ReportedRun.Round::accuracy));
        b.append(curve("accuracy-by-device-time", "Accuracy by device time (how long the devices took)", Clock.DEVICE,
                "accuracy", ReportedRun.Round::accuracy));
        b.append(curve("accuracy-by-wall-time", "Accuracy by wall time (how long this machine took)", Clock.WALL,
                "accuracy", ReportedRun.Round::accuracy));
        b.append(curve("loss-by-round", "Loss of the global model by round", Clock.ROUND, "loss",
                ReportedRun.Round::loss));
        b.append("</div></section>\n");
        for (ReportedRun run : runs) {
            new RunSection(run).append(b);
        }
        return b.append("</body></html>\n").toString();
    }

    /** What a curve's x axis counts. */
    private enum Clock {
        ROUND, DEVICE, WALL
    }

    /** A curve per run: a value of each round's global model over the round or the time at the round's end. */
    private String curve(String id, String title, Clock clock, String yLabel, ToDoubleFunction<ReportedRun.Round> y) {
        List<LineChart.Series> series = new ArrayList<>();
        for (ReportedRun run : runs) {
            List<LineChart.Point> points = new ArrayList<>();
            double time = 0;
            for (ReportedRun.Round r : run.rounds) {
                time += clock == Clock.DEVICE ? r.deviceSeconds() : r.seconds();
                points.add(new LineChart.Point(clock == Clock.ROUND ? r.number() : time, y.applyAsDouble(r)));
            }
            series.add(new LineChart.Series(run.label(), points));
        }
        String xLabel = switch (clock) {
            case ROUND -> runs.stream().anyMatch(r -> r.asynchronous) ? "round (asynchronous runs: model version)"
                    : "round";
            case DEVICE -> "device time (s)";
            case WALL -> "wall time (s)";
        };
        return new LineChart(id, title, xLabel, yLabel, series).svg();
    }

    private void comparison(StringBuilder b) {
        b.append("<section><h2>Runs</h2>\n<table><tr><th>run</th><th>profile</th><th>status</th><th>runtime</th>"
                + "<th>dataset</th><th>rounds</th><th>final accuracy</th><th>best accuracy</th><th>wall time</th>"
                + "<th>device time</th><th>failures</th></tr>\n");
        for (ReportedRun run : runs) {
            var r = run.record;
            b.append("<tr><td><a href=\"#run-").append(Html.escape(r.id())).append("\">").append(Html.escape(r.id()))
                    .append("</a></td><td>").append(Html.escape(r.profile())).append("</td><td>")
                    .append(Html.escape(r.status())).append("</td><td>").append(Html.escape(r.runtime()))
                    .append("</td><td>").append(Html.escape(r.dataset())).append("</td><td class=\"n\">")
                    .append(r.rounds()).append(r.roundsPlanned() > 0 ? "/" + r.roundsPlanned() : "")
                    .append("</td><td class=\"n\">").append(Html.number(orNaN(r.finalAccuracy())))
                    .append("</td><td class=\"n\">").append(Html.number(orNaN(r.bestAccuracy())))
                    .append("</td><td class=\"n\">").append(Html.seconds(r.wallSeconds())).append("</td><td class=\"n\">")
                    .append(Html.seconds(r.deviceSeconds())).append("</td><td class=\"n\">").append(r.failures())
                    .append("</td></tr>\n");
        }
        b.append("</table></section>\n");
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** One run's own part: its facts, timeline, device classes, clients and profile. */
    private static final class RunSection {
        private final ReportedRun run;

        RunSection(ReportedRun run) {
            this.run = run;
        }

        void append(StringBuilder b) {
            String id = run.record.id();
            b.append("<section class=\"run\" id=\"run-").append(Html.escape(id)).append("\"><h2>Run ")
                    .append(Html.escape(id)).append(": ").append(Html.escape(run.record.profile())).append("</h2>\n");
            facts(b);
            List<String> clients = run.clients();
            List<String> shown = clients.subList(0, Math.min(TIMELINE_CLIENTS, clients.size()));
            Timeline timeline = run.asynchronous ? asyncTimeline(shown) : roundTimeline(shown);
            b.append(timeline.svg());
            if (shown.size() < clients.size()) {
                b.append("<p class=\"meta\">The timeline shows the first ").append(shown.size()).append(" of ")
                        .append(clients.size()).append(" clients; rounds.csv has them all.</p>\n");
            }
            b.append("<div class=\"charts\">\n");
            deviceClasses(b);
            b.append("</div>\n");
            clientTable(b, clients);
            b.append("<details><summary>Profile as run</summary><pre>").append(Html.escape(run.profile))
                    .append("</pre></details>\n</section>\n");
        }

        private void facts(StringBuilder b) {
            JsonNode s = run.summary;
            var r = run.record;
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("status", r.status() + (s.has("error") ? ": " + s.path("error").asText() : ""));
            facts.put("profile", r.profile() + (s.has("profile_source") ? " (" + s.path("profile_source").asText()
                    + ")" : ""));
            facts.put("runtime", r.runtime());
            if (s.has("device_model")) {
                facts.put("device model", s.path("device_model").asText());
            }
            JsonNode d = s.path("dataset");
            if (!d.isMissingNode()) {
                facts.put("dataset", d.path("name").asText() + (d.path("synthetic").asBoolean() ? " (synthetic: "
                        + "for plumbing only, its accuracies say nothing)" : "") + ", " + d.path("partition").asText()
                        + ", " + Html.number(d.path("data_percentage").asDouble() * 100) + " % of its "
                        + d.path("train_examples").asText() + " training images");
            }
            facts.put("rounds", r.rounds() + (r.roundsPlanned() > 0 ? " of " + r.roundsPlanned() : ""));
            facts.put("final accuracy", Html.number(orNaN(r.finalAccuracy())) + " (best "
                    + Html.number(orNaN(r.bestAccuracy())) + ")");
            if (s.has("round_seconds_total")) {
                facts.put("time", Html.seconds(r.wallSeconds()) + " wall, " + Html.seconds(r.deviceSeconds())
                        + " device");
                facts.put("failures", Integer.toString(r.failures()));
            }
            if (s.has("started_at")) {
                facts.put("started", s.path("started_at").asText() + ", finished " + s.path("finished_at").asText());
            }
            if (s.has("program")) {
                JsonNode h = s.path("host");
                facts.put("program", "fl-hetero " + s.path("program").asText() + (s.has("commit") ? " (commit "
                        + s.path("commit").asText() + ")" : "") + " on " + h.path("cpus").asText()
                        + " CPUs, " + Html.number(h.path("memory_bytes").asLong() / 1073741824.0) + " GiB, "
                        + h.path("os").asText() + ", Java " + s.path("jvm").asText());
            }
            b.append("<table class=\"facts\">\n");
            facts.forEach((k, v) -> b.append("<tr><th>").append(Html.escape(k)).append("</th><td>")
                    .append(Html.escape(v)).append("</td></tr>\n"));
            b.append("</table>\n");
        }

        /**
         * A synchronous run on the device-time clock: each round starts when the last one ended; a client receives
         * the model, fits, sends its update, waits for the slowest, evaluates and waits again.
         */
        private Timeline roundTimeline(List<String> clients) {
            List<Timeline.Segment> segments = new ArrayList<>();
            List<Double> starts = new ArrayList<>();
            double start = 0;
            for (ReportedRun.Round round : run.rounds) {
                starts.add(start);
                // The round's device time is its fit phase (until the last kept fit, a deadline or the timeout),
                // then its slowest evaluation.
                double slowestFit = 0;
                double slowestEvaluation = 0;
                for (RoundsCsv.Row row : round.rows()) {
                    slowestFit = Math.max(slowestFit, row.number("simulated_seconds", 0));
                    slowestEvaluation = Math.max(slowestEvaluation, row.number("evaluate_seconds", 0));
                }
                double fitPhase = Math.max(slowestFit, round.deviceSeconds() - slowestEvaluation);
                double end = start + Math.max(round.deviceSeconds(), fitPhase);
                int n = round.number();
                for (RoundsCsv.Row row : round.rows()) {
                    String c = row.text("client_id");
                    double t = start;
                    boolean fitted = !row.text("examples").isEmpty();
                    boolean failed = row.text("status").equals("failed");
                    if (fitted) {
                        t = fit(segments, c, n, row, t);
                    } else if (failed) {
                        t = add(segments, c, t, fitPhase > 0 ? fitPhase : end - start, failure(row, n),
                                failureNote(row, n));
                    } // else: evaluated only, not asked to fit this round
                    if (fitted && failed) {
                        t = add(segments, c, t, start + fitPhase - t, Timeline.Kind.IDLE, "round " + n
                                + ": waits for the slowest fit");
                        add(segments, c, t, 0, Timeline.Kind.FAILED, "round " + n + ": its fit was kept, its "
                                + "evaluation failed (" + row.text("reason") + ")");
                        continue;
                    }
                    double evaluation = row.number("evaluate_seconds", 0);
                    if (!(evaluation > 0)) {
                        continue;
                    }
                    t = add(segments, c, t, start + fitPhase - t, Timeline.Kind.IDLE, "round " + n
                            + ": waits for the slowest fit");
                    t = add(segments, c, t, evaluation, Timeline.Kind.EVALUATION, "round " + n + ": evaluates, "
                            + Html.seconds(evaluation));
                    add(segments, c, t, end - t, Timeline.Kind.IDLE, "round " + n + ": waits for the round's end");
                }
                start = end;
            }
            offline(segments, start);
            return new Timeline("timeline-" + run.record.id(), "What each client did, round by round, on the "
                    + "device-time clock", "device time (s)", clients, segments, starts);
        }

        /** How a failed fit is drawn: dropped work, a kill for memory the client came back from, or a failure. */
        private Timeline.Kind failure(RoundsCsv.Row row, int round) {
            return switch (row.text("reason")) {
                case "dropped" -> Timeline.Kind.DROPPED;
                case "oom" -> fitsAfter(row.text("client_id"), round) ? Timeline.Kind.RESTARTED : Timeline.Kind.FAILED;
                default -> Timeline.Kind.FAILED;
            };
        }

        private String failureNote(RoundsCsv.Row row, int round) {
            return "round " + round + ": " + switch (failure(row, round)) {
                case DROPPED -> "its work was dropped";
                case RESTARTED -> "killed for memory (OOM), restarted at half its batch";
                default -> "failed (" + row.text("reason") + ")";
            };
        }

        /** Whether the client fitted in a later round: it came back. */
        private boolean fitsAfter(String client, int round) {
            return run.rounds.stream().filter(r -> r.number() > round).flatMap(r -> r.rows().stream())
                    .anyMatch(r -> r.text("client_id").equals(client) && !r.text("examples").isEmpty());
        }

        /** A fit: receiving the model, the work (cut short by a deadline or whole), sending the update. */
        private static double fit(List<Timeline.Segment> segments, String c, int n, RoundsCsv.Row row, double t) {
            double transfer = row.number("transfer_seconds", 0);
            double work = row.number("simulated_seconds", 0) - transfer;
            boolean cut = row.integer("steps") < row.integer("planned_steps");
            t = add(segments, c, t, transfer / 2, Timeline.Kind.TRANSFER, "round " + n + ": receives the model, "
                    + Html.seconds(transfer / 2));
            t = add(segments, c, t, work, cut ? Timeline.Kind.CUT : Timeline.Kind.FIT, "round " + n + ": fit, "
                    + row.text("steps") + " of " + row.text("planned_steps") + " batches of " + row.text("batch_size")
                    + ", " + Html.seconds(work));
            return add(segments, c, t, transfer / 2, Timeline.Kind.TRANSFER, "round " + n + ": sends its update, "
                    + Html.seconds(transfer / 2));
        }

        /**
         * An asynchronous run on the wall clock: each update's fit, ending when the model version that applied it
         * was made; failures as ticks where they were recorded.
         */
        private Timeline asyncTimeline(List<String> clients) {
            List<Timeline.Segment> segments = new ArrayList<>();
            Instant zero = null;
            for (ReportedRun.Round round : run.rounds) {
                for (RoundsCsv.Row row : round.rows()) {
                    Instant at = finishedAt(row);
                    if (at != null) {
                        Instant begun = at.minusMillis((long) (row.number("fit_seconds", 0) * 1000));
                        zero = zero == null || begun.isBefore(zero) ? begun : zero;
                    }
                }
            }
            for (ReportedRun.Round round : run.rounds) {
                for (RoundsCsv.Row row : round.rows()) {
                    Instant at = finishedAt(row);
                    if (at == null) {
                        continue;
                    }
                    double end = (at.toEpochMilli() - zero.toEpochMilli()) / 1000.0;
                    String c = row.text("client_id");
                    switch (row.text("status")) {
                        case "ok" -> {
                            double fit = row.number("fit_seconds", 0);
                            add(segments, c, end - fit, fit, Timeline.Kind.FIT, "version " + round.number()
                                    + ": update trained on version " + row.text("base_version") + " (staleness "
                                    + row.text("staleness") + "), " + Html.seconds(fit) + " wall, "
                                    + Html.seconds(row.number("simulated_seconds")) + " device");
                        }
                        case "failed" -> add(segments, c, end, 0, Timeline.Kind.FAILED, "version "
                                + round.number() + ": failed (" + row.text("reason") + ")");
                        default -> {
                        }
                    }
                }
            }
            return new Timeline("timeline-" + run.record.id(), "Each client's updates on the wall clock (a bar ends "
                    + "when the model version that applied it was made)", "wall time (s)", clients, segments,
                    List.of());
        }

        private static Instant finishedAt(RoundsCsv.Row row) {
            try {
                return Instant.parse(row.text("finished_at"));
            } catch (RuntimeException e) {
                return null; // rounds.csv of a version before the column
            }
        }

        /** When each client was offline, from availability.csv; one that did not come back until {@code end}. */
        private void offline(List<Timeline.Segment> segments, double end) {
            Map<String, Double> since = new LinkedHashMap<>();
            for (ReportedRun.Change change : run.changes) {
                if (!change.online()) {
                    since.put(change.clientId(), change.deviceSeconds());
                } else if (since.containsKey(change.clientId())) {
                    double from = since.remove(change.clientId());
                    segments.add(new Timeline.Segment(change.clientId(), from, change.deviceSeconds(),
                            Timeline.Kind.OFFLINE, "offline from " + Html.seconds(from) + " to "
                            + Html.seconds(change.deviceSeconds())));
                }
            }
            since.forEach((c, from) -> segments.add(new Timeline.Segment(c, from, Math.max(from, end),
                    Timeline.Kind.OFFLINE, "offline from " + Html.seconds(from) + " to the end")));
        }

        private static double add(List<Timeline.Segment> segments, String client, double at, double length,
                                  Timeline.Kind kind, String note) {
            if (length > 0 || kind == Timeline.Kind.FAILED || kind == Timeline.Kind.DROPPED
                    || kind == Timeline.Kind.RESTARTED) {
                segments.add(new Timeline.Segment(client, at, at + Math.max(0, length), kind, note));
            }
            return at + Math.max(0, length);
        }

        /** Per device class: images per device-second of fit, and peak memory against the class's limit. */
        private void deviceClasses(StringBuilder b) {
            Map<String, double[]> work = new TreeMap<>(); // class -> images, device seconds
            Map<String, Double> peak = new TreeMap<>();
            Map<String, Double> limit = new TreeMap<>();
            for (String c : run.clients()) {
                String cls = run.deviceClass(c);
                peak.putIfAbsent(cls, Double.NaN);
                work.putIfAbsent(cls, new double[2]);
                String memory = run.client(c).path("memory").asText("");
                if (!memory.isEmpty()) {
                    limit.put(cls, MemorySize.parse(memory).bytes() / MIB);
                }
            }
            for (ReportedRun.Round round : run.rounds) {
                for (RoundsCsv.Row row : round.rows()) {
                    if (row.text("examples").isEmpty()) {
                        continue; // no fit in the row
                    }
                    String cls = run.deviceClass(row.text("client_id"));
                    double[] w = work.computeIfAbsent(cls, k -> new double[2]);
                    double seconds = row.number("simulated_seconds", 0) - row.number("transfer_seconds", 0);
                    if (seconds > 0) {
                        w[0] += row.integer("examples");
                        w[1] += seconds;
                    }
                    double memory = row.number("memory_bytes", 0) / MIB;
                    if (memory > 0) {
                        peak.merge(cls, memory, (a, m) -> Double.isNaN(a) ? m : Math.max(a, m));
                    }
                }
            }
            List<BarChart.Bar> throughput = new ArrayList<>();
            work.forEach((cls, w) -> throughput.add(new BarChart.Bar(cls, w[1] > 0 ? w[0] / w[1] : Double.NaN,
                    Double.NaN)));
            List<BarChart.Bar> memory = new ArrayList<>();
            peak.forEach((cls, m) -> memory.add(new BarChart.Bar(cls, m, limit.getOrDefault(cls, Double.NaN))));
            String id = run.record.id();
            b.append(new BarChart("throughput-" + id, "Training throughput per device class (images per "
                    + "device-second of fit)", "images / s", throughput).svg());
            b.append(new BarChart("memory-" + id, "Peak memory per device class while training, against its limit "
                    + "(line)" + (run.record.runtime().equals("local") ? "; in-process: the device model's estimate"
                    : ""), "MiB", memory).svg());
        }

        /** Per client: its device, its work, how often it was the slowest, its failures. */
        private void clientTable(StringBuilder b, List<String> clients) {
            Map<String, int[]> counts = new LinkedHashMap<>(); // fits, slowest, cut
            Map<String, Double> deviceSeconds = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> failures = new LinkedHashMap<>();
            for (ReportedRun.Round round : run.rounds) {
                String slowest = null;
                double longest = -1;
                for (RoundsCsv.Row row : round.rows()) {
                    String c = row.text("client_id");
                    if (!row.text("examples").isEmpty()) {
                        int[] n = counts.computeIfAbsent(c, k -> new int[3]);
                        n[0]++;
                        n[2] += row.integer("steps") < row.integer("planned_steps") ? 1 : 0;
                        double s = row.number("simulated_seconds", 0);
                        deviceSeconds.merge(c, s, Double::sum);
                        if (s > longest) {
                            longest = s;
                            slowest = c;
                        }
                    }
                    if (row.text("status").equals("failed")) {
                        failures.computeIfAbsent(c, k -> new TreeMap<>()).merge(row.text("reason"), 1, Integer::sum);
                    }
                }
                if (slowest != null && !run.asynchronous) {
                    counts.get(slowest)[1]++;
                }
            }
            b.append("<h3>Clients: stragglers and failures</h3>\n<table><tr><th>client</th><th>device class</th>"
                    + "<th>CPUs</th><th>memory</th><th>batch</th><th>fits</th><th>device s per fit</th>"
                    + "<th>slowest in</th><th>cut by deadline</th><th>failures</th><th>OOM restarts</th>"
                    + "<th>lost</th></tr>\n");
            for (String c : clients) {
                JsonNode info = run.client(c);
                int[] n = counts.getOrDefault(c, new int[3]);
                StringBuilder failed = new StringBuilder();
                failures.getOrDefault(c, Map.of()).forEach((reason, k) -> failed.append(failed.isEmpty() ? "" : ", ")
                        .append(reason).append(" ×").append(k));
                b.append("<tr><td>").append(Html.escape(c)).append("</td><td>")
                        .append(Html.escape(run.deviceClass(c))).append("</td><td class=\"n\">")
                        .append(Html.escape(info.path("cpus").asText("–"))).append("</td><td class=\"n\">")
                        .append(Html.escape(info.path("memory").asText("–"))).append("</td><td class=\"n\">")
                        .append(Html.escape(info.path("batch_size").asText("–"))).append("</td><td class=\"n\">")
                        .append(n[0]).append("</td><td class=\"n\">")
                        .append(Html.number(n[0] > 0 ? deviceSeconds.get(c) / n[0] : Double.NaN))
                        .append("</td><td class=\"n\">").append(run.asynchronous ? "–" : n[1] + (n[1] == 1 ? " round" : " rounds"))
                        .append("</td><td class=\"n\">").append(n[2]).append("</td><td>")
                        .append(failed.isEmpty() ? "none" : Html.escape(failed.toString())).append("</td><td class=\"n\">")
                        .append(info.path("oom_restarts").asInt()).append("</td><td>")
                        .append(Html.escape(info.path("lost").isTextual() ? info.path("lost").asText() : ""))
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1180px;\
            color:#222;padding:0 12px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
            h3{font-size:15px;margin:18px 0 6px}
            .meta{color:#666;margin:2px 0 12px}
            .charts{display:flex;flex-wrap:wrap;gap:8px 20px}
            figure{margin:0 0 12px}figcaption{font-weight:600;margin:0 0 4px;max-width:560px}
            svg text{font-size:11px;fill:#333}svg .label{font-size:12px;fill:#555}
            svg .grid{stroke:#eee}svg .axis{stroke:#999}svg .round{stroke:#fff;stroke-width:1.5}
            svg .limit{stroke:#d62728;stroke-width:2;stroke-dasharray:5 3}
            table{border-collapse:collapse;margin:6px 0 12px}th,td{padding:3px 10px;border-bottom:1px solid #eee;\
            text-align:left;vertical-align:top;white-space:nowrap}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            table.facts th{color:#555;font-weight:500;width:130px}
            pre{background:#f6f6f6;padding:10px;overflow:auto;font-size:12px}
            """;
}
