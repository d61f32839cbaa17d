package io.flhetero.cli;

import io.flhetero.report.html.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code report RUN...}: report.html, a self-contained page of plots and tables about one run or several. */
@Command(mixinStandardHelpOptions = true, name = "report", description = "Write report.html about a run (into its "
        + "directory), or about several runs overlaid (--output, default report.html in the runs folder).")
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids in the runs folder, or run directories.")
    List<String> runs;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
            description = "The runs folder (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the page (default: "
            + "report.html in the run's directory; for several runs, in the runs folder).")
    Path output;

    @Override
    public Integer call() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String run : runs) {
            dirs.add(RunArgument.directory(runsDir, run));
        }
        Path file = output != null ? output
                : dirs.size() == 1 ? dirs.get(0).resolve(RunReport.FILE) : runsDir.resolve(RunReport.FILE);
        if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new BadInputException("cannot write " + file + ": its folder does not exist; give --output in an "
                    + "existing folder");
        }
        write(dirs, file);
        System.out.println("report: " + file);
        return ExitCode.OK;
    }

    /** Writes the report, turning an unwritable file into bad input that names it. */
    static void write(List<Path> dirs, Path file) {
        try {
            RunReport.write(dirs, file);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes a report at the end of a run or benchmark, saying where; one that cannot be written is a warning, not
     * the run's failure.
     */
    static void writeOrWarn(List<Path> dirs, Path file, PrintStream out) {
        writeOrWarn(dirs, null, file, out);
    }

    /** The same, each run named by its label (null: by its profile and id). */
    static void writeOrWarn(List<Path> dirs, List<String> labels, Path file, PrintStream out) {
        try {
            RunReport.write(dirs, labels, file);
            out.println("report: " + file);
        } catch (IOException | RuntimeException e) {
            out.println("warning: " + file + " not written (" + e.getMessage() + "); `fl-hetero report "
                    + String.join(" ", dirs.stream().map(Path::toString).toList()) + "` tries again");
        }
    }
}
