package io.flhetero.cli;

import io.flhetero.jvm.ThisProgram;
import io.flhetero.monitor.ScrapeConfig;
import io.flhetero.monitor.stack.MonitoringStack;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.runtime.external.ComposeFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code export compose}: a device mix as a docker-compose project that runs without fl-hetero's orchestrator. */
@Command(mixinStandardHelpOptions = true, name = "export", description = "Write a run in another form.",
        subcommands = ExportCommand.Compose.class)
final class ExportCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: fl-hetero export compose --profile NAME [--output DIR] [--help]");
    }

    @Command(mixinStandardHelpOptions = true, name = "compose", description = "Write a docker-compose project "
            + "equivalent to `run` in containers: the server, one service per client with its device's limits "
            + "(deploy.resources.limits, memswap_limit) and command line, Prometheus, cAdvisor and Grafana with "
            + "this provisioning; host networking throughout.")
    static final class Compose implements Callable<Integer> {

        @Option(names = {"-p", "--profile"}, defaultValue = ProfileCatalog.DEFAULT, paramLabel = "NAME|FILE",
                description = "The device mix (default: ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write docker-compose.yml and "
                + "what it refers to (default: compose-PROFILE).")
        Path output;

        @Option(names = "--rounds", description = "Rounds, instead of the profile's.")
        Integer rounds;

        @Option(names = "--data-percentage", paramLabel = "FRACTION", description = "Each client's share of its "
                + "data, instead of the profile's.")
        Double dataPercentage;

        @Option(names = "--dataset", paramLabel = "NAME", description = "The data set, instead of the profile's "
                + "(synthetic: generated, for plumbing).")
        String dataset;

        @Option(names = "--synthetic-examples", paramLabel = "N", description = "With synthetic data: how many "
                + "training images.")
        Integer syntheticExamples;

        @Mixin
        ClientImageOption clientImage;

        @Option(names = "--jar", paramLabel = "FILE", description = "The JAR the services mount, unless "
                + "FL_HETERO_JAR says otherwise (default: this one).")
        Path jar;

        @Option(names = "--metrics-port", defaultValue = "8000", description = "The server's /metrics port (default: "
                + "${DEFAULT-VALUE}).")
        int metricsPort;

        @Option(names = "--no-monitoring", description = "Leave Prometheus, cAdvisor and Grafana out.")
        boolean noMonitoring;

        @Option(names = "--prometheus-image", defaultValue = MonitoringStack.PROMETHEUS_IMAGE,
                description = "Prometheus image (default: ${DEFAULT-VALUE}).")
        String prometheusImage;

        @Option(names = "--cadvisor-image", defaultValue = MonitoringStack.CADVISOR_IMAGE,
                description = "cAdvisor image (default: ${DEFAULT-VALUE}).")
        String cadvisorImage;

        @Option(names = "--grafana-image", defaultValue = MonitoringStack.GRAFANA_IMAGE,
                description = "Grafana image (default: ${DEFAULT-VALUE}).")
        String grafanaImage;

        @Option(names = "--grafana-dir", defaultValue = "grafana", paramLabel = "DIR",
                description = "Grafana's provisioning, dashboards and grafana.ini to copy (default: ${DEFAULT-VALUE}).")
        Path grafanaDir;

        @Override
        public Integer call() throws IOException {
            if (metricsPort < 1 || metricsPort > 65535) {
                throw new BadInputException("--metrics-port must be between 1 and 65535 (Prometheus scrapes it), got "
                        + metricsPort);
            }
            Profile p = ProfileCatalog.inWorkingDirectory().find(profile).parse(new ProfileOverrides(rounds, null,
                    dataPercentage, dataset));
            if (p.devices().stream().anyMatch(d -> !d.availability().always())) {
                throw new BadInputException("profile " + p.name() + " has device availability (churn), which only "
                        + "`run` can play: compose cannot stop and start its services on the devices' schedule");
            }
            Path file = jar != null ? jar : ThisProgram.jar().orElseThrow(() -> new BadInputException("give --jar: "
                    + "this program runs from classes, not from a JAR the services could mount"));
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("--jar " + file + " is not a file");
            }
            List<String> serverArgs = new ArrayList<>();
            if (syntheticExamples != null) {
                serverArgs.addAll(List.of("--synthetic-examples", syntheticExamples.toString()));
            }
            Path dir = output != null ? output : Path.of("compose-" + p.name().replaceAll("[^A-Za-z0-9_-]", "-"));
            ComposeFile.Monitoring monitoring = noMonitoring ? null : new ComposeFile.Monitoring(prometheusImage,
                    ScrapeConfig.DEFAULT_PORT, cadvisorImage, ScrapeConfig.CADVISOR_PORT, grafanaImage, 3000,
                    grafanaDir);
            Path written;
            try {
                written = ComposeFile.write(p, new ComposeFile.Settings(clientImage.image(), file, serverArgs,
                        metricsPort, monitoring), dir);
            } catch (IOException e) {
                throw new BadInputException("cannot write " + dir + ": " + e.getMessage());
            }
            System.out.println("wrote " + written + " (" + p.clients() + " clients" + (noMonitoring ? ""
                    : ", Prometheus, cAdvisor, Grafana") + "): `cd " + dir + " && docker-compose up`; each run needs "
                    + "a new FL_HETERO_RUN_ID (default " + p.name() + "), its directory is " + dir.resolve("runs")
                    + "; on a swarm manager, `docker stack deploy -c " + ComposeFile.STACK_FILE + " NAME` from there");
            return ExitCode.OK;
        }
    }
}
