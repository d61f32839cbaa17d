package io.flhetero.cli;

import io.flhetero.data.Dataset;
import io.flhetero.data.KnownDataset;
import io.flhetero.jvm.StopTimes;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.monitor.MetricsServer;
import io.flhetero.monitor.ClientSeries;
import io.flhetero.monitor.stack.MonitoringStack;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileDifference;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.profile.TimeSpan;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunRecord;
import io.flhetero.report.RunSummary;
import io.flhetero.report.html.RunReport;
import io.flhetero.run.Checkpoint;
import io.flhetero.run.DockerSettings;
import io.flhetero.run.SwarmSettings;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.HostCapacity;
import io.flhetero.runtime.docker.Images;
import io.flhetero.runtime.docker.LimitCheck;
import io.flhetero.runtime.local.DeviceCalibration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code run}: one federated experiment from a profile. */
@Command(mixinStandardHelpOptions = true, name = "run", description = "Run a federated experiment: the server, one client per device of the "
        + "profile, rounds of training and evaluation, metrics at /metrics and a run directory under runs/.")
final class RunCommand implements Callable<Integer> {

    /** Exit code of a run stopped with Ctrl-C, as shells report SIGINT. */
    static final int INTERRUPTED = 130;

    @Option(names = {"-p", "--profile"}, defaultValue = ProfileCatalog.DEFAULT, paramLabel = "NAME|FILE",
            description = "Device-mix profile: a name from `profiles list` or a YAML file (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--rounds", description = "Override the profile's number of rounds.")
    Integer rounds;

    @Option(names = "--clients", description = "Override the profile's number of clients.")
    Integer clients;

    @Option(names = "--data-percentage", paramLabel = "X",
            description = "Override the share (0,1] of its training split each client keeps.")
    Double dataPercentage;

    @Mixin
    DataOptions data;

    @Option(names = "--uncalibrated", description = "In-process: the device model without this host's calibration "
            + "(what `bench calibrate` measures against).")
    boolean uncalibrated;

    @Option(names = "--runtime", defaultValue = "auto", paramLabel = "auto|local|docker|swarm|external",
            description = "Where clients run: containers with real limits (docker), services of the Docker Swarm "
                    + "this engine manages, with the same limits, on any of its nodes (swarm), in-process with "
                    + "simulated limits (local), docker when an engine answers (auto), or started by someone else, "
                    + "each joining with `client` (external; give --run-id) (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--registry", paramLabel = "HOST:PORT", description = "With --runtime swarm: the registry the "
            + "swarm's nodes pull the client image from; it is pushed there (default: none, the image stays on this "
            + "engine, enough for one node).")
    String registry;

    @Option(names = "--advertise-addr", paramLabel = "ADDRESS", description = "With --runtime swarm: the address "
            + "of this machine that clients on the swarm's nodes reach the server at (default: the one this node "
            + "joined the swarm with).")
    String advertiseAddr;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run's id (its directory's name) instead of a "
            + "new one: letters, digits, '-' and '_'. With --runtime external, clients started elsewhere find the run "
            + "by it.")
    String runId;

    @Mixin
    ClientImageOption clientImage;

    @Option(names = "--no-monitoring", description = "With Docker, do not start Prometheus, cAdvisor and Grafana.")
    boolean noMonitoring;

    @Option(names = "--prometheus-image", defaultValue = MonitoringStack.PROMETHEUS_IMAGE,
            description = "Prometheus image (default: ${DEFAULT-VALUE}; offline: fl-hetero/prometheus:2).")
    String prometheusImage;

    @Option(names = "--prometheus-port", defaultValue = "9090", description = "Prometheus port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(names = "--cadvisor-image", defaultValue = MonitoringStack.CADVISOR_IMAGE,
            description = "cAdvisor image (default: ${DEFAULT-VALUE}).")
    String cadvisorImage;

    @Option(names = "--cadvisor-port", defaultValue = "8080", description = "cAdvisor port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int cadvisorPort;

    @Option(names = "--grafana-image", defaultValue = MonitoringStack.GRAFANA_IMAGE,
            description = "Grafana image (default: ${DEFAULT-VALUE}).")
    String grafanaImage;

    @Option(names = "--grafana-port", defaultValue = "3000", description = "Grafana port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int grafanaPort;

    @Option(names = "--grafana-password", description = "Grafana's admin password (default: a random one, printed "
            + "once). Visible to every user in `ps`: prefer --grafana-password-file or " + GRAFANA_PASSWORD_ENV + ".")
    String grafanaPassword;

    @Option(names = "--grafana-password-file", paramLabel = "FILE",
            description = "Read Grafana's admin password from the first line of FILE.")
    Path grafanaPasswordFile;

    /** Where Grafana's admin password may come from without showing in `ps`. */
    static final String GRAFANA_PASSWORD_ENV = "FL_HETERO_GRAFANA_PASSWORD";

    @Option(names = "--grafana-dir", defaultValue = "grafana", paramLabel = "DIR",
            description = "Grafana's provisioning, dashboards and grafana.ini (default: ${DEFAULT-VALUE}).")
    Path grafanaDir;

    @Option(names = "--fit-to-host", description = "Scale device limits down proportionally when they do not fit "
            + "the Docker host, instead of refusing them: CPU limits to add up to 90 % of its CPUs, so that clients do "
            + "not contend. In-process, the same scaling for this machine, to predict such a container run.")
    boolean fitToHost;

    @Option(names = "--client-series", paramLabel = "N", defaultValue = "" + ClientSeries.DEFAULT_LIMIT,
            description = "Metric series per client for runs of up to N clients; above, the clients of a device class "
                    + "share theirs (client_id=\"*\"), so that thousands of clients do not swamp Prometheus "
                    + "(default: ${DEFAULT-VALUE}).")
    int clientSeries;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Address of /metrics (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--metrics-port", defaultValue = "8000", description = "Port of /metrics; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--startup-timeout", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long clients may take to register (default: ${DEFAULT-VALUE}).")
    String startupTimeout;

    @Option(names = "--keep-client-data", description = "Keep each client's share of the data in the run "
            + "directory (client-data/, CIFAR-10 binary), e.g. for scripts/reference-pytorch.py.")
    boolean keepClientData;

    @Option(names = "--device-time-budget", paramLabel = "DURATION", description = "End the run after the round in "
            + "which its rounds' device time (simulated in-process, wall in containers) reaches DURATION, e.g. 15m.")
    String deviceTimeBudget;

    @Option(names = "--resume", paramLabel = "RUN_DIR|RUN_ID", description = "Continue a stopped, killed or crashed "
            + "run from its last completed round, in its own directory and with the profile it ran (a profile or "
            + "override that differs is refused).")
    String resume;

    @Option(names = "--no-report", description = "Do not write report.html into the run directory at the end.")
    boolean noReport;

    @Spec
    CommandSpec spec;

    @Option(names = "--id-file", paramLabel = "FILE", description = "Write the run's id to FILE as it starts (as "
            + "`docker run --cidfile` does), for scripts: the run directory is the runs folder's RUN_ID.")
    Path idFile;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        // First: a launcher killed while the data set downloads or an image is pulled must not leave this behind.
        LauncherWatch.start(() -> out.println("stopping: the process that started this run is gone"), INTERRUPTED);
        Path resumeDir = resume == null ? null : runToResume();
        Profile p = resumeDir == null ? requestedProfile() : resumedProfile(resumeDir);
        Path runsDir = resumeDir == null ? this.runsDir : resumeDir.toAbsolutePath().getParent();
        String image = clientImage.image();
        boolean external = runtime.equals("external");
        if (resumeDir != null) {
            requireSameRuntimeKind(resumeDir, external);
        }
        if (external) {
            requireExternalFits(p);
        }
        if (runId != null) {
            requireNewRunId(runsDir);
        }
        if (!runtime.equals("swarm") && (registry != null || advertiseAddr != null)) {
            throw new BadInputException((registry != null ? "--registry" : "--advertise-addr") + " is for --runtime "
                    + "swarm; add --runtime swarm or drop it");
        }
        boolean docker = !external && useDocker(out, image);
        if (!docker && fitToHost) {
            List<String> scaled = new ArrayList<>();
            p = LimitCheck.fitted(p, HostCapacity.ofThisMachine(), scaled);
            scaled.forEach(out::println);
        }
        if (clientSeries < 0) {
            throw new BadInputException("--client-series must be 0 or more (0: always by device class), got "
                    + clientSeries);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new BadInputException("--metrics-port must be between 0 and 65535, got " + metricsPort);
        }
        requireWritable(runsDir);
        requireLocalAddress(metricsHost, out);
        // Clients started elsewhere may be started by hand, or wait for a data set to download first.
        Duration startup = external && !spec.commandLine().getParseResult().hasMatchedOption("--startup-timeout")
                ? Duration.ofMinutes(5) : duration(startupTimeout, "--startup-timeout");
        Duration budget = deviceTimeBudget == null ? null : duration(deviceTimeBudget, "--device-time-budget");

        out.printf(Locale.ROOT, "profile %s (%s): %d clients, %d rounds, data %s, %s%n", p.name(), p.source(),
                p.clients(), p.rounds(), p.dataset().dataPercentage(), p.dataset().partition());
        Dataset dataset = data.resolve(p, out);
        if (dataset.synthetic()) {
            p = p.withDataset(p.dataset().withDataset(KnownDataset.SYNTHETIC));
        }

        ConsoleReporter console = new ConsoleReporter(out, p.rounds(), p.clients(), System.console() != null);
        RunSettings settings = new RunSettings(runsDir, metricsHost, metricsPort, startup)
                .withDeviceTimeBudget(budget).withClientDataKept(keepClientData).withClientSeriesLimit(clientSeries);
        if (docker) {
            DockerSettings containers = new DockerSettings(image, fitToHost, null);
            if (runtime.equals("swarm")) {
                containers = containers.withSwarm(new SwarmSettings(registry, advertiseAddr));
            }
            if (!noMonitoring) {
                containers = containers.withMonitoring(new MonitoringStack.Settings(prometheusImage, prometheusPort,
                        cadvisorImage, cadvisorPort, grafanaImage, grafanaPort, grafanaPassword(out), grafanaDir));
            }
            settings = settings.withDocker(containers);
        } else if (external) {
            settings = settings.withExternalClients();
        } else {
            out.println("monitoring stack not started (it needs Docker); Prometheus can scrape /metrics with the run's "
                    + "prometheus.yml");
            settings = settings.withCalibration(calibration(out, p));
        }
        if (runId != null) {
            settings = settings.withRunId(runId);
        }
        FederatedRun run = resumeDir == null ? new FederatedRun(p, dataset, settings, console, console::line)
                : resumed(resumeDir, p, dataset, settings, console);
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            console.line("stopping: finishing the current step and writing the run directory");
            try {
                run.stop();
                reported.await(StopTimes.RUN.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ctrl-c");
        if (idFile != null) {
            writeIdFile(run.id());
        }
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("run " + run.id() + ": " + (runtime.equals("swarm") ? "clients run as Docker Swarm services with "
                + "real limits" : docker ? "clients run as Docker containers with real limits"
                : external ? "clients are started elsewhere and join with `client` (external runtime)"
                : "clients run in-process (local runtime, simulated device limits)") + "; directory "
                + runsDir.resolve(run.id()));
        try {
            RunSummary summary = run.execute();
            out.printf(Locale.ROOT, "run %s %s after %d of %d rounds%n", run.id(),
                    summary.status().name().toLowerCase(Locale.ROOT), summary.roundsCompleted(), p.rounds());
            summary.finalEvaluation().ifPresent(e -> out.printf(Locale.ROOT, "final accuracy %.4f, loss %.4f on %s%n",
                    e.accuracy(), e.loss(), dataset.label()));
            out.println("run directory: " + run.directory().path());
            return summary.status() == RunSummary.Status.INTERRUPTED ? INTERRUPTED : ExitCode.OK;
        } catch (MetricsServer.PortInUseException e) {
            throw new BadInputException(e.getMessage());
        } finally {
            console.close();
            if (!noReport && run.directory() != null) {
                Path dir = run.directory().path();
                ReportCommand.writeOrWarn(List.of(dir), dir.resolve(RunReport.FILE), out);
            }
            out.flush();
            reported.countDown();
            removeHook(hook);
        }
    }

    /** From a file, the environment or the command line (with a warning), in that order; null: a random one. */
    private String grafanaPassword(PrintStream out) {
        if (grafanaPasswordFile != null) {
            try {
                String first = Files.readAllLines(grafanaPasswordFile).stream().findFirst().orElse("").strip();
                if (first.isEmpty()) {
                    throw new BadInputException("--grafana-password-file " + grafanaPasswordFile + " is empty; put "
                            + "the password on its first line");
                }
                return first;
            } catch (IOException e) {
                throw new BadInputException("--grafana-password-file " + grafanaPasswordFile + " cannot be read ("
                        + e.getMessage() + "); give a readable file with the password on its first line");
            }
        }
        String fromEnvironment = System.getenv(GRAFANA_PASSWORD_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        if (grafanaPassword != null) {
            out.println("warning: --grafana-password is visible to every user of this machine in `ps`; "
                    + "--grafana-password-file or " + GRAFANA_PASSWORD_ENV + " keep it private");
        }
        return grafanaPassword;
    }

    private void writeIdFile(String runId) {
        try {
            Files.writeString(idFile, runId + "\n");
        } catch (IOException e) {
            throw new BadInputException("--id-file " + idFile + " cannot be written (" + e.getMessage() + "); give "
                    + "a file in a folder that exists and is writable");
        }
    }

    private Profile requestedProfile() {
        return ProfileCatalog.inWorkingDirectory().find(profile)
                .parse(new ProfileOverrides(rounds, clients, dataPercentage, data.dataset));
    }

    /** The directory of the run to resume: a path, or a run id under --runs-dir. */
    private Path runToResume() {
        Path asPath = Path.of(resume);
        Path dir = Files.isDirectory(asPath) ? asPath : runsDir.resolve(resume);
        if (!Files.isRegularFile(dir.resolve(RunDirectory.PROFILE))) {
            throw new BadInputException("--resume " + resume + ": no run directory there (" + dir + " has no "
                    + RunDirectory.PROFILE + "); give a run's directory, or its id with the --runs-dir it ran in");
        }
        try {
            RunDirectory.requireNotLive(dir, dir.getFileName().toString());
        } catch (RunDirectory.RunLiveException e) {
            throw new BadInputException("--resume " + resume + ": " + e.getMessage());
        }
        return dir;
    }

    /**
     * The profile the run ran with. A profile or override given as well must come to the same: a resumed run that
     * changed its experiment would be neither run.
     */
    private Profile resumedProfile(Path dir) {
        Profile saved = ProfileReader.read(dir.resolve(RunDirectory.PROFILE));
        ParseResult given = spec.commandLine().getParseResult();
        boolean asked = List.of("--profile", "--rounds", "--clients", "--data-percentage", "--dataset").stream()
                .anyMatch(given::hasMatchedOption);
        if (asked) {
            List<String> differences = ProfileDifference.between(saved, requestedProfile());
            if (!differences.isEmpty()) {
                throw new BadInputException("--resume " + resume + ": the run ran another experiment than the one "
                        + "given here (" + String.join("; ", differences) + "); resume without --profile and "
                        + "overrides, or start a new run");
            }
        }
        return saved;
    }

    private FederatedRun resumed(Path dir, Profile p, Dataset dataset, RunSettings settings, ConsoleReporter console) {
        try {
            return FederatedRun.resume(dir, p, dataset, settings, console, console::line);
        } catch (Checkpoint.CheckpointException e) {
            throw new BadInputException("--resume " + resume + ": " + e.getMessage());
        }
    }

    /** The device model's calibration for this host and JAR, if `bench calibrate` made one; says which. */
    private DeviceCalibration calibration(PrintStream out, Profile p) {
        if (uncalibrated) {
            out.println("device model not calibrated (--uncalibrated): CPU time scaled by each device's CPU share");
            return DeviceCalibration.NONE;
        }
        Optional<DeviceCalibration> found = ThisProgram.jar().flatMap(jar -> DeviceCalibration.load(data.cache(),
                ThisProgram.tag(jar)));
        if (found.isPresent()) {
            out.println("device model calibrated on this host's containers (" + found.get().measured() + ", "
                    + DeviceCalibration.file(data.cache(), found.get().jar()) + ")");
            found.get().mixWarning(DeviceMix.clients(p).stream().map(c -> c.device().cpus()).toList())
                    .ifPresent(out::println);
            return found.get();
        }
        out.println("device model not calibrated: CPU time scaled by each device's CPU share, no warm-up; "
                + "`bench calibrate` fits it to this host's containers");
        return DeviceCalibration.NONE;
    }

    /**
     * A run goes on with clients of the kind it ran with: one whose clients were started elsewhere cannot be
     * continued by clients this program starts, nor the other way round.
     */
    private void requireSameRuntimeKind(Path dir, boolean external) {
        String ran;
        try {
            ran = RunRecord.read(dir).map(RunRecord::runtime).orElse("?");
        } catch (IOException e) {
            ran = "?";
        }
        if (ran.equals("?")) {
            return; // killed before its summary: nothing says
        }
        if (ran.equals("external") != external) {
            throw new BadInputException("--resume " + resume + ": the run ran with " + (ran.equals("external")
                    ? "clients started elsewhere; give --runtime external" : "--runtime " + ran + "; give --runtime "
                    + ran + (ran.equals("docker") ? " or auto" : "")));
        }
    }

    /**
     * Clients started elsewhere are neither stopped and started for churn nor restarted after an OOM kill, and
     * need to know the run's id beforehand.
     */
    private void requireExternalFits(Profile p) {
        if (runId == null && resume == null) {
            throw new BadInputException("--runtime external needs --run-id ID: the clients started elsewhere find "
                    + "the run's directory (runs/ID) by it");
        }
        if (p.devices().stream().anyMatch(d -> !d.availability().always())) {
            throw new BadInputException("--runtime external cannot stop and start clients for a device's "
                    + "availability; drop `availability` from the profile, or use --runtime docker or local");
        }
    }

    /** A chosen run id names a new directory. */
    private void requireNewRunId(Path runsDir) {
        if (resume != null) {
            throw new BadInputException("--run-id names a new run; --resume continues one by its own id");
        }
        if (!runId.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            throw new BadInputException("--run-id '" + runId + "' is not a run id: give letters, digits, '-' and "
                    + "'_' (at most 64)");
        }
        Path dir = runsDir.resolve(runId);
        // An empty folder is new: a compose project's clients mount it before the server starts.
        try (Stream<Path> inside = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || inside.findAny().isPresent())) {
                throw new BadInputException("--run-id " + runId + ": " + dir + " exists; give a new id, or `run "
                        + "--resume " + runId + "` to continue that run");
            }
        } catch (IOException e) {
            throw new BadInputException("--run-id " + runId + ": cannot read " + dir + " (" + e.getMessage() + ")");
        }
    }

    /** {@code auto} takes Docker when an engine answers and the client image is there or can be pulled. */
    private boolean useDocker(PrintStream out, String image) {
        switch (runtime) {
            case "local":
                return false;
            case "docker", "swarm":
                return true;
            case "auto":
                try (DockerEngine engine = DockerEngine.connect()) {
                    Images.ensure(engine, image, out::println);
                    return true;
                } catch (DockerEngine.NoEngineException | Images.ImageException e) {
                    out.println(e.getMessage().replaceFirst("; (start one|without a registry).*", "")
                            + ": clients run in-process (--runtime docker insists on containers)");
                    return false;
                }
            default:
                throw new BadInputException("--runtime must be auto, local, docker, swarm or external, got '"
                        + runtime + "'");
        }
    }

    /**
     * The metrics endpoint can only listen on an address of this machine; anything but loopback exposes it (and the
     * run's figures) to the network, which is said once.
     */
    private static void requireLocalAddress(String host, PrintStream out) {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new BadInputException("--metrics-host " + host + " is not a known host name or address; use "
                    + "127.0.0.1 (the default) or an address of this machine");
        }
        boolean own;
        try {
            own = address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (java.net.SocketException e) {
            own = false;
        }
        if (!own) {
            throw new BadInputException("--metrics-host " + host + " is not an address of this machine; use 127.0.0.1 "
                    + "(the default) or one of its own addresses");
        }
        if (!address.isLoopbackAddress()) {
            out.println("warning: --metrics-host " + host + " exposes the metrics endpoint beyond this machine; "
                    + "127.0.0.1 keeps it local");
        }
    }

    /** Up front, so that a run never does its work and then finds nowhere to write it. */
    private static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName();
            throw new BadInputException("--runs-dir " + dir + " cannot be created (" + reason + "); choose a folder "
                    + "you can write");
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new BadInputException("--runs-dir " + dir + " is not a writable folder; choose a folder you can write");
        }
    }

    private static Duration duration(String text, String option) {
        try {
            return TimeSpan.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": '" + text + "' is not a duration; write e.g. 90s or 2m");
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and will return once the run has ended.
        }
    }
}
