package io.flhetero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.jvm.ThisHost;
import io.flhetero.monitor.stack.MonitoringStack;
import io.flhetero.report.RunDirectory;
import io.flhetero.runtime.docker.DockerEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code dashboard RUN}: Prometheus (and Grafana where its image is) back up over a finished run's data, on
 * 127.0.0.1, until {@code stop RUN}.
 */
@Command(mixinStandardHelpOptions = true, name = "dashboard", description = "Bring Prometheus (and Grafana, where its "
        + "image is) back up over a finished run's data on 127.0.0.1; `stop RUN` takes them down. Needs Docker and "
        + "a run that ran in containers with monitoring.")
final class DashboardCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "A run id in the runs folder, or a run directory.")
    String run;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
            description = "The runs folder (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--prometheus-image", defaultValue = MonitoringStack.PROMETHEUS_IMAGE,
            description = "Prometheus image (default: ${DEFAULT-VALUE}; offline: fl-hetero/prometheus:2).")
    String prometheusImage;

    @Option(names = "--prometheus-port", defaultValue = "9090", description = "Prometheus port on 127.0.0.1 "
            + "(default: ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(names = "--grafana-image", defaultValue = MonitoringStack.GRAFANA_IMAGE,
            description = "Grafana image (default: ${DEFAULT-VALUE}).")
    String grafanaImage;

    @Option(names = "--grafana-port", defaultValue = "3000", description = "Grafana port on 127.0.0.1 "
            + "(default: ${DEFAULT-VALUE}).")
    int grafanaPort;

    @Option(names = "--grafana-dir", defaultValue = "grafana", paramLabel = "DIR",
            description = "Grafana's provisioning, dashboards and grafana.ini (default: ${DEFAULT-VALUE}).")
    Path grafanaDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = RunArgument.directory(runsDir, run);
        String runId = dir.toAbsolutePath().normalize().getFileName().toString();
        if (RunDirectory.live(dir)) {
            throw new BadInputException("run " + runId + " is still running: its own Prometheus and Grafana are up "
                    + "while it runs; `dashboard` is for a finished run");
        }
        if (!hasData(dir.resolve(MonitoringStack.DATA))) {
            throw new BadInputException("run " + runId + " kept no Prometheus data (" + dir.resolve(MonitoringStack.DATA)
                    + " is missing or empty): only runs in Docker containers with monitoring keep it. Its report is "
                    + dir.resolve("report.html"));
        }
        if (!ThisHost.portFree("127.0.0.1", prometheusPort)) {
            throw new BadInputException("127.0.0.1:" + prometheusPort + " is in use; give another port with "
                    + "--prometheus-port");
        }
        try (DockerEngine engine = DockerEngine.connect()) {
            MonitoringStack.Settings settings = new MonitoringStack.Settings(prometheusImage, prometheusPort, null, 0,
                    grafanaImage, grafanaPort, null, grafanaDir);
            try {
                MonitoringStack.serve(engine, runId, settings, dir.toAbsolutePath(), System.out::println);
            } catch (IllegalStateException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        System.out.println("run " + runId + ": " + timeRange(dir) + "; `fl-hetero stop " + runId + "` takes the "
                + "dashboard down");
        return ExitCode.OK;
    }

    private static boolean hasData(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return false;
        }
        try (Stream<Path> files = Files.list(data)) {
            return files.findAny().isPresent();
        }
    }

    /** When the run's series are, to point Prometheus' and Grafana's time pickers at. */
    private static String timeRange(Path dir) {
        try {
            JsonNode summary = new ObjectMapper().readTree(dir.resolve(RunDirectory.SUMMARY).toFile());
            Instant from = Instant.parse(summary.path("started_at").asText());
            Instant to = Instant.parse(summary.path("finished_at").asText());
            return "its series are from " + from + " to " + to + " (Grafana: add ?from=" + from.toEpochMilli()
                    + "&to=" + to.toEpochMilli() + " to the dashboard's address)";
        } catch (IOException | RuntimeException e) {
            return "its series are from the time it ran (it wrote no summary)";
        }
    }
}
