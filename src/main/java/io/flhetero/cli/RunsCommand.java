package io.flhetero.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flhetero.report.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code runs list|show|compare}: the runs a runs folder holds, as a terminal table or JSON for scripts. */
@Command(mixinStandardHelpOptions = true, name = "runs", description = "List, show and compare the runs in a runs "
        + "folder, from their run directories.", subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class,
        RunsCommand.Compare.class})
final class RunsCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: fl-hetero runs list|show|compare [--help]");
    }

    /** What every subcommand takes. */
    abstract static class RunsOptions {
        @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
                description = "The runs folder (default: ${DEFAULT-VALUE}).")
        Path runsDir;

        @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
                description = "A table for people or JSON for scripts (default: ${DEFAULT-VALUE}).")
        String format;

        boolean json() {
            return switch (format) {
                case "table" -> false;
                case "json" -> true;
                default -> throw new BadInputException("--format must be table or json, got '" + format + "'");
            };
        }

        /** A run by its id under the runs folder, or by its directory. */
        RunRecord find(String run) throws Exception {
            return RunRecord.read(RunArgument.candidate(runsDir, run))
                    .orElseThrow(() -> RunArgument.notFound(runsDir, run));
        }

        static void printJson(Object value) throws Exception {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "The runs, newest first: profile, status, "
            + "rounds, final accuracy, wall and device time, failures.")
    static final class ListRuns extends RunsOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            boolean json = json();
            List<RunRecord> runs = RunRecord.list(runsDir);
            if (json) {
                printJson(runs.stream().map(RunRecord::toMap).toList());
                return ExitCode.OK;
            }
            if (runs.isEmpty()) {
                System.out.println("no runs in " + runsDir.toAbsolutePath());
                return ExitCode.OK;
            }
            PrintStream out = System.out;
            out.printf("%-24s %-18s %-11s %-7s %9s %9s %10s %10s %8s%n", "run", "profile", "status", "runtime",
                    "rounds", "accuracy", "time", "device", "failures");
            for (RunRecord r : runs) {
                out.printf(Locale.ROOT, "%-24s %-18s %-11s %-7s %9s %9s %10s %10s %8d%n", r.id(), r.profile(),
                        r.status(), r.runtime(), r.rounds() + "/" + (r.roundsPlanned() == 0 ? "?" : r.roundsPlanned()),
                        accuracy(r.finalAccuracy()), seconds(r.wallSeconds()), seconds(r.deviceSeconds()),
                        r.failures());
            }
            return ExitCode.OK;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "show", description = "One run: its summary and its accuracy "
            + "by round.")
    static final class Show extends RunsOptions implements Callable<Integer> {
        @Parameters(paramLabel = "RUN", description = "A run id in the runs folder, or a run directory.")
        String run;

        @Override
        public Integer call() throws Exception {
            boolean json = json();
            RunRecord r = find(run);
            if (json) {
                printJson(r.toMap());
                return ExitCode.OK;
            }
            Compare.table(List.of(r));
            return ExitCode.OK;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "compare", description = "Runs side by side: profile, status, "
            + "rounds, accuracies, times, failures, and accuracy by round.")
    static final class Compare extends RunsOptions implements Callable<Integer> {
        @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run ids in the runs folder, or run directories.")
        List<String> runs;

        @Override
        public Integer call() throws Exception {
            boolean json = json();
            List<RunRecord> records = new ArrayList<>();
            for (String run : runs) {
                records.add(find(run));
            }
            if (json) {
                printJson(records.stream().map(RunRecord::toMap).toList());
                return ExitCode.OK;
            }
            table(records);
            return ExitCode.OK;
        }

        /** One column per run: its figures, then its accuracy by round. */
        static void table(List<RunRecord> records) {
            List<Map.Entry<String, Function<RunRecord, String>>> rows = List.of(
                    Map.entry("run", RunRecord::id),
                    Map.entry("directory", r -> r.dir().toString()),
                    Map.entry("profile", RunRecord::profile),
                    Map.entry("status", RunRecord::status),
                    Map.entry("runtime", RunRecord::runtime),
                    Map.entry("dataset", RunRecord::dataset),
                    Map.entry("started", r -> r.startedAt().replaceFirst("\\.\\d+Z$", "Z")),
                    Map.entry("rounds", r -> r.rounds() + " of " + (r.roundsPlanned() == 0 ? "?" : r.roundsPlanned())),
                    Map.entry("final accuracy", r -> accuracy(r.finalAccuracy())),
                    Map.entry("best accuracy", r -> accuracy(r.bestAccuracy())),
                    Map.entry("wall time", r -> seconds(r.wallSeconds())),
                    Map.entry("device time", r -> seconds(r.deviceSeconds())),
                    Map.entry("failures", r -> Integer.toString(r.failures())));
            List<String> labels = new ArrayList<>(rows.stream().map(Map.Entry::getKey).toList());
            List<List<String>> columns = new ArrayList<>();
            int most = records.stream().mapToInt(r -> r.accuracies().size()).max().orElse(0);
            for (int i = 0; i < most; i++) {
                labels.add("accuracy, r" + (i + 1));
            }
            for (RunRecord r : records) {
                List<String> column = new ArrayList<>(rows.stream().map(row -> row.getValue().apply(r)).toList());
                for (int i = 0; i < most; i++) {
                    column.add(i < r.accuracies().size() ? accuracy(r.accuracies().get(i)) : "");
                }
                columns.add(column);
            }
            PrintStream out = System.out;
            for (int i = 0; i < labels.size(); i++) {
                StringBuilder line = new StringBuilder(String.format("%-16s", labels.get(i)));
                for (List<String> column : columns) {
                    int width = column.stream().mapToInt(String::length).max().orElse(0);
                    line.append("  ").append(String.format("%-" + width + "s", column.get(i)));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    private static String accuracy(Double a) {
        return a == null ? "-" : String.format(Locale.ROOT, "%.4f", a);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }
}
