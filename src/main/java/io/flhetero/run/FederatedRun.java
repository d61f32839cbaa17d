package io.flhetero.run;

import io.flhetero.data.ClientData;
import io.flhetero.data.ClientDataFiles;
import io.flhetero.data.Dataset;
import io.flhetero.data.FederatedData;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;
import io.flhetero.fl.availability.OnlineIntervals;
import io.flhetero.fl.client.ClientModel;
import io.flhetero.fl.client.FlClient;
import io.flhetero.fl.cluster.ClusterSettings;
import io.flhetero.fl.cluster.ClusteredVertx;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.fl.server.BufferedCoordinator;
import io.flhetero.fl.server.ClientRegistry;
import io.flhetero.fl.server.ClientRequests;
import io.flhetero.fl.server.Coordinator;
import io.flhetero.fl.server.Evaluator;
import io.flhetero.fl.server.OomRestarts;
import io.flhetero.fl.server.RoundCoordinator;
import io.flhetero.fl.server.TooFewClientsException;
import io.flhetero.fl.strategy.FedAvg;
import io.flhetero.fl.strategy.FedBuff;
import io.flhetero.fl.strategy.FedNova;
import io.flhetero.fl.strategy.MemoryKills;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.Network;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.ProximalTerm;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.model.fused.TrainingMemory;
import io.flhetero.monitor.ClientSeries;
import io.flhetero.monitor.ContainerMetrics;
import io.flhetero.monitor.FlMetrics;
import io.flhetero.monitor.MetricsServer;
import io.flhetero.monitor.ScrapeConfig;
import io.flhetero.monitor.stack.MonitoringStack;
import io.flhetero.policy.CapacityPolicy;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.policy.TrainingPlan;
import io.flhetero.policy.TrainingPolicy;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.PolicyName;
import io.flhetero.profile.Profile;
import io.flhetero.profile.TimeSpan;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import io.flhetero.fl.server.ShareServer;
import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.NetworkMode;
import io.flhetero.profile.ProfileWriter;
import io.flhetero.runtime.swarm.SwarmClientRuntime;
import io.flhetero.runtime.swarm.SwarmSetup;
import io.flhetero.runtime.ClientLostListener;
import io.flhetero.runtime.ClientRuntime;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.ClientLaunch;
import io.flhetero.runtime.docker.DockerClientRuntime;
import io.flhetero.runtime.docker.DockerSetup;
import io.flhetero.runtime.docker.RunNetwork;
import io.flhetero.runtime.external.ExternalClientRuntime;
import io.flhetero.runtime.local.DeviceCalibration;
import io.flhetero.runtime.local.LocalClientRuntime;
import io.flhetero.runtime.local.SimulatedContainerStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One federated experiment from start to end: splits the data, starts the metrics endpoint, the server and the
 * clients, runs the rounds, writes the run directory and tears everything down, also when it fails or is
 * stopped. Data flows one way: profile -> client specs -> runtime -> clients on the bus -> coordinator ->
 * metrics and run log.
 */
public final class FederatedRun {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedRun.class);

    private final Profile profile;
    private final Dataset dataset;
    private final RunSettings settings;
    private final RunListener console;
    private final Consumer<String> notices;
    private final String runId;
    /** The run's directory to go on in, and its last checkpoint (null: none yet); both null for a new run. */
    private final Path resumeDir;
    /** Runs of more clients than this get console lines per kind of setting and per tenth registered. */
    public static final int CLIENTS_LISTED = 20;
    private final Checkpoint checkpoint;
    /** The clients' optimizer states of the checkpoints, once the run directory is there. */
    private OptimizerStateFiles optimizers;
    private volatile Coordinator coordinator;
    private volatile ClientRuntime runtime;
    private volatile boolean stopRequested;
    private ComputationGraph serverModel;
    private PrometheusMeterRegistry meters;
    private MetricsServer metricsServer;
    private RunDirectory directory;
    private RunNetwork network;
    /** What the swarm runtime was set up with; null for other runtimes. */
    private SwarmSetup.Prepared swarm;
    private ClientRegistry clientRegistry;
    private ClientRequests requests;
    private FedAvg strategy;
    private MemoryKills memoryKills;
    private List<ClientData> shares;
    /** Clients whose containers were stopped while their device is offline. */
    private final Set<String> suspended = ConcurrentHashMap.newKeySet();

    public FederatedRun(Profile profile, Dataset dataset, RunSettings settings, RunListener console) {
        this(profile, dataset, settings, console, message -> LOG.warn("{}", message));
    }

    /** @param notices where warnings for the user go (limits scaled, image pulled, a client missing) */
    public FederatedRun(Profile profile, Dataset dataset, RunSettings settings, RunListener console,
                        Consumer<String> notices) {
        this(settings.runId() != null ? settings.runId() : RunId.next(), null, null, profile, dataset, settings, console,
                notices);
    }

    private FederatedRun(String runId, Path resumeDir, Checkpoint checkpoint, Profile profile, Dataset dataset,
                         RunSettings settings, RunListener console, Consumer<String> notices) {
        this.runId = runId;
        this.resumeDir = resumeDir;
        this.checkpoint = checkpoint;
        this.notices = notices;
        this.profile = profile;
        this.dataset = dataset;
        this.settings = settings;
        this.console = console;
    }

    /**
     * A stopped, killed or crashed run, continued in its own directory from the checkpoint of its last completed
     * round (from round 1 when it completed none), with the profile it ran: the run directory ends as an
     * uninterrupted run's would.
     *
     * @throws Checkpoint.CheckpointException when the run has nothing left to do or its checkpoint is unusable
     */
    public static FederatedRun resume(Path runDir, Profile profile, Dataset dataset, RunSettings settings,
                                      RunListener console, Consumer<String> notices) {
        String runId = runDir.getFileName().toString();
        Checkpoint checkpoint = Checkpoint.read(runDir).orElse(null);
        if (checkpoint != null && checkpoint.round() >= profile.rounds()) {
            throw new Checkpoint.CheckpointException("run " + runId + " completed all " + profile.rounds()
                    + " rounds: there is nothing to resume");
        }
        if (RunDirectory.completed(runDir)) {
            throw new Checkpoint.CheckpointException("run " + runId + " completed (at its device-time budget, "
                    + "its summary.json says): there is nothing to resume");
        }
        if (checkpoint != null && !checkpoint.data().equals(data(dataset))) {
            throw new Checkpoint.CheckpointException("run " + runId + " trained on " + checkpoint.data() + ", not on "
                    + data(dataset) + "; resume it with the same data (for synthetic data, the same "
                    + "--synthetic-examples)");
        }
        if (checkpoint != null) {
            new OptimizerStateFiles(runDir, checkpoint.optimizers()).requireFiles();
        }
        return new FederatedRun(runId, runDir, checkpoint, profile, dataset, settings, console, notices);
    }

    public String id() {
        return runId;
    }

    /** Where metrics are served while the run lasts; null before {@link #execute()} binds it. */
    public String metricsUrl() {
        return metricsServer == null ? null : metricsServer.url();
    }

    public RunDirectory directory() {
        return directory;
    }

    /** The Prometheus text of the run's metrics now (also after the run, for the final figures). */
    public String scrape() {
        return meters.scrape();
    }

    /**
     * Runs the experiment on this thread. Throws {@link MetricsServer.PortInUseException} before any client
     * starts when the metrics port is taken; whatever fails, what the run started is torn down.
     */
    public RunSummary execute() throws Exception {
        List<ClientSpec> clients = DeviceMix.clients(profile);
        if (checkpoint != null) {
            // Clients lost before the checkpoint stay out, as they would have.
            clients = clients.stream().filter(c -> checkpoint.members().contains(c.id())).toList();
        }
        DockerSettings containers = settings.docker();
        Availability availability = OnlineIntervals.of(clients, profile.seed());
        RunSummary summary = new RunSummary(runId, profile, dataset, runtimeName(), DeviceMix.clients(profile));
        DeviceCalibration calibration = settings.calibration();
        summary.deviceModel(containers != null ? "containers: wall time"
                : settings.external() ? "clients started elsewhere: their wall time"
                : calibration.none() ? "in-process, uncalibrated: measured CPU time scaled by the CPU share"
                : "in-process, calibrated on " + calibration.host() + " " + calibration.measured() + " for JAR "
                        + calibration.jar() + ": work counted at this host's cost");
        if (checkpoint != null) {
            summary.restore(checkpoint.summary());
        }
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FlMetrics.runInfo(meters, runId, profile.name(), runtimeName(), dataset.name(), ThisProgram.version());
        try (Resources resources = new Resources(runId)) {
            try {
                if (resumeDir != null) {
                    // First and released last: a second resume of the same run finds it taken before anything of
                    // the run is touched, and the run stays taken until all of it is gone.
                    directory = resources.add(RunDirectory.reopen(resumeDir, runId, checkpoint == null ? 0
                            : checkpoint.round(), checkpoint == null ? 0 : checkpoint.clock()), "closing the run directory", () -> directory.close());
                }
                DockerSetup.Prepared docker = containers == null ? null : containers.swarm() != null
                        ? swarmSetup(clients, containers)
                        : DockerSetup.prepare(runId, clients, containers.clientImage(), containers.fitToHost(),
                                containers.jar(), notices);
                if (docker != null) {
                    clients = docker.clients();
                }
                long starting = System.nanoTime();
                start(clients, docker, summary, resources, availability);
                awaitClients(clients);
                summary.clientsRegistered((System.nanoTime() - starting) / 1e9);
                if (checkpoint != null) {
                    optimizers.restore(coordinator::restoreClientStates);
                    notices.accept("resumed after round " + checkpoint.round() + " of " + profile.rounds());
                }
                List<RegisteredClient> fleet = clientRegistry.available();
                Map<String, String> reasons = new LinkedHashMap<>();
                for (RegisteredClient c : fleet) {
                    TrainingPlan plan = strategy.planFor(c, fleet);
                    summary.plan(c.id(), plan);
                    reasons.put(c.id(), plan.reason());
                }
                reportSettings(reasons);
                rounds(summary);
            } catch (TooFewClientsException e) {
                if (stopRequested) {
                    summary.finish(RunSummary.Status.INTERRUPTED, "stopped while " + e.getMessage());
                    return summary;
                }
                summary.finish(RunSummary.Status.FAILED, e.getMessage());
                throw e;
            } catch (Exception | Error e) {
                if (summary.status() == RunSummary.Status.RUNNING) {
                    summary.finish(stopRequested ? RunSummary.Status.INTERRUPTED : RunSummary.Status.FAILED,
                            e.toString());
                }
                throw e;
            } finally {
                writeResults(summary);
            }
        }
        return summary;
    }

    /**
     * Acquires what the run needs, in order, each registered with its release: the Docker engine, the run's
     * network, Vert.x, the metrics endpoint, the run directory (and the clients' data in it), registration, the
     * clients, the server, monitoring.
     */
    private void start(List<ClientSpec> clients, DockerSetup.Prepared docker, RunSummary summary, Resources resources,
                       Availability availability) throws Exception {
        ContainerMetrics containerMetrics = new ContainerMetrics(meters,
                ClientSeries.forRun(clients.size(), settings.clientSeriesLimit()));
        ClusterSettings cluster = null;
        if (swarm != null) {
            resources.add("closing the Docker connection", docker.engine()::close);
            cluster = ClusterSettings.forRun(runId, clients.size(), swarm.host(), null);
        } else if (docker != null) {
            resources.add("closing the Docker connection", docker.engine()::close);
            network = resources.add(RunNetwork.forRun(profile.network(), docker.engine().client(), runId),
                    "removing the run's network", () -> network.remove(docker.engine().client()));
            cluster = network.cluster(runId, clients.size());
        } else if (settings.external()) {
            cluster = RunNetwork.HOST.cluster(runId, clients.size());
        }
        VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
        VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(meters));
        Vertx vertx = cluster == null ? builder.with(options).build()
                : ClusteredVertx.start(cluster, true, builder, options, Duration.ofSeconds(60));
        resources.add("closing Vert.x", () -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("closing Vert.x: {}", e.toString()); // nothing of it outlives this process
            }
        });
        metricsServer = resources.add(MetricsServer.start(vertx, meters, settings.metricsHost(),
                settings.metricsPort()), "closing the metrics endpoint", () -> metricsServer.close());
        WireMessageCodec.register(vertx.eventBus(), cluster == null ? "" : cluster.token());
        if (directory == null) {
            directory = resources.add(RunDirectory.create(settings.runsDir(), runId, profile),
                    "closing the run directory", () -> directory.close());
        }
        if (!settings.keepClientData()) {
            resources.add("removing the clients' data", () -> clientData().delete());
        }
        optimizers = new OptimizerStateFiles(directory.path(), checkpoint == null ? Map.of() : checkpoint.optimizers());
        List<RunListener> hear = new ArrayList<>(List.of(new FlMetrics(meters, containerMetrics), directory, summary,
                console, new RunListener() {
                    @Override
                    public void clientRestarted(String clientId, int restart, int maxRestarts) {
                        optimizers.forget(clientId); // a restarted client starts from a fresh optimizer
                    }
                }));
        if (docker == null && !settings.external()) {
            hear.add(new SimulatedContainerStats(containerMetrics));
        } else if (docker != null) {
            hear.add(new RunListener() {
                @Override
                public void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
                    if (online) {
                        deviceBack(clientId);
                    } else {
                        deviceLeft(clientId);
                        optimizers.forget(clientId); // its container stops, and its optimizer with it
                    }
                }
            });
        }
        RunListener listeners = RunListener.all(hear);
        clientRegistry = resources.add(new ClientRegistry(vertx, runId, listeners), "closing registration", () -> clientRegistry.close());
        clientRegistry.listen();
        requests = new ClientRequests(vertx, runId);
        if (swarm != null) {
            resources.add("closing the clients' data shares", shareServer(vertx)::close);
        }
        runtime = resources.add(swarm != null ? swarmRuntime(cluster, containerMetrics)
                : docker != null ? dockerRuntime(docker, clients, cluster, containerMetrics)
                : settings.external() ? externalRuntime(clients, cluster) : localRuntime(vertx, clients),
                swarm != null ? "removing the client services" : docker != null ? "removing the client containers"
                        : "stopping the in-process clients",
                () -> runtime.close());
        resources.add("shutting the clients down", () -> requests.shutdown(clientRegistry.available()));
        LOG.debug("starting {} clients", clients.size());
        runtime.start(runId, clients, new ClientLostListener() {
            @Override
            public void clientLost(String clientId, FailureReason reason, String detail) {
                lose(clientId, reason, detail, true);
            }

            @Override
            public void clientUnseen(String clientId, FailureReason reason, String detail) {
                lose(clientId, reason, detail, false);
            }
        });
        // The server builds its model while the clients start (containers take seconds: JVM, natives, model).
        MemoryKills memoryKills = new MemoryKills(profile.strategy().oomRestarts());
        strategy = strategy(memoryKills);
        OomRestarts restarts = new OomRestarts(memoryKills, id -> runtime.restart(id));
        coordinator = strategy instanceof FedBuff buffered
                ? new BufferedCoordinator(clientRegistry, requests, buffered, profile.strategy(), restarts, listeners,
                        serverEvaluation(DeviceMix.clients(profile)), ParameterVector.read(model()),
                        docker == null && !settings.external(),
                        profile.rounds(),
                        availability)
                : new RoundCoordinator(clientRegistry, requests, strategy, profile.strategy(), restarts, listeners,
                        ParameterVector.read(model()), availability);
        if (checkpoint != null) {
            coordinator.restoreGlobal(checkpoint.global(), checkpoint.round(), checkpoint.clock());
            strategy.restore(checkpoint.plans(), checkpoint.deadlineSeconds());
            memoryKills.restore(checkpoint.memoryKills());
        }
        this.memoryKills = memoryKills;
        if (stopRequested) {
            coordinator.stop(); // Ctrl-C came while the coordinator did not exist yet
        }
        startMonitoring(docker, resources);
    }

    /**
     * A container's device went offline: its work in flight is lost now, and its container stops (its data stays).
     * It stays registered, so that the coordinator knows when it comes back.
     */
    private void deviceLeft(String clientId) {
        requests.fail(clientId, FailureReason.OFFLINE, "its device went offline");
        if (runtime.suspend(clientId)) {
            suspended.add(clientId);
        }
    }

    /** A container's device came back online: its container starts again and the run waits for it to register. */
    private void deviceBack(String clientId) {
        if (!suspended.remove(clientId)) {
            return;
        }
        clientRegistry.expectBack(clientId);
        clientRegistry.remove(clientId);
        if (!runtime.resume(clientId)) {
            clientRegistry.giveUpOn(clientId); // it leaves the run, as after a failed OOM restart
        }
    }

    /**
     * A client's runtime saw it die ({@code ended}), or can no longer see it: it leaves the run, and its request in
     * flight fails now. Start-up waits no longer for one that ended.
     */
    private void lose(String clientId, FailureReason reason, String detail, boolean ended) {
        if (ended) {
            clientRegistry.ended(clientId);
        } else {
            clientRegistry.remove(clientId);
        }
        requests.fail(clientId, reason, detail);
    }

    /** The profile's strategy with its training policy. */
    private FedAvg strategy(MemoryKills memoryKills) {
        TrainingPolicy policy = profile.policy() == PolicyName.CAPACITY
                ? new CapacityPolicy(new TrainingMemory(MobileNetV2.of(profile.model(), 0.001, profile.seed())))
                : new StaticPolicy();
        return switch (profile.strategy().name()) {
            case FEDNOVA -> new FedNova(profile.strategy(), profile.seed(), policy, memoryKills);
            case FEDBUFF -> new FedBuff(profile.strategy(), profile.seed(), policy, memoryKills,
                    ProximalTerm.statistics(model()));
            default -> new FedAvg(profile.strategy(), profile.seed(), policy, memoryKills);
        };
    }

    /** The run's Prometheus config, and with Docker the monitoring containers. */
    private void startMonitoring(DockerSetup.Prepared docker, Resources resources) throws IOException {
        String target = settings.metricsHost() + ":" + metricsServer.port();
        MonitoringStack.Settings stack = docker == null ? null : settings.docker().monitoring();
        if (stack != null) {
            MonitoringStack monitoring = MonitoringStack.start(docker.engine(), runId, stack, target, directory.path(),
                    notices);
            resources.add("removing the monitoring containers", monitoring::close);
        } else {
            Files.writeString(directory.path().resolve("prometheus.yml"), ScrapeConfig.render(target, null));
        }
    }

    private ClientRuntime localRuntime(Vertx vertx, List<ClientSpec> clients) {
        List<ClientData> split = split();
        if (settings.keepClientData()) {
            clientData().write(clients.stream().map(ClientSpec::id).toList(), split);
        }
        return new LocalClientRuntime(vertx, split, profile.model(), profile.seed(),
                Runtime.getRuntime().availableProcessors(), settings.calibration(), directory.path());
    }

    /** Every client's share of the data, by client index; split once. */
    private List<ClientData> split() {
        if (shares == null) {
            shares = FederatedData.split(dataset.train(), profile.dataset().partition(), profile.clients(),
                    profile.dataset().testSplit(), profile.dataset().dataPercentage(), profile.dataset().seed());
        }
        return shares;
    }

    /**
     * Evaluation on the server, for an asynchronous run whose clients are always training: each client's test
     * split, scored with one network of the server's own, as the client would score it.
     */
    private Evaluator serverEvaluation(List<ClientSpec> clients) {
        List<ClientData> split = split();
        Network network = FusedNetwork.of(MobileNetV2.of(profile.model(), 0.001, profile.seed()));
        List<FlClient> scorers = clients.stream().map(c -> new FlClient(c.id(), ClientModel.own(network),
                split.get(c.index()), profile.seed())).toList();
        return global -> scorers.stream().map(s -> s.evaluate(global)).toList();
    }

    /**
     * Where client containers read their share of the data: scratch in the run directory, removed at the end unless
     * the run keeps it for a reference implementation (then written by the local runtime too).
     */
    private ClientDataFiles clientData() {
        return new ClientDataFiles(directory.path().resolve(ClientLaunch.DATA));
    }

    private ClientRuntime dockerRuntime(DockerSetup.Prepared docker, List<ClientSpec> clients, ClusterSettings cluster,
                                        ContainerMetrics metrics) throws IOException {
        writeClientFiles(clients, cluster);
        DockerSettings containers = settings.docker();
        Files.createDirectories(containers.nativeCache());
        return new DockerClientRuntime(docker.engine(), new ClientContainers(docker.engine().client(),
                containers.clientImage(), docker.jar(), directory.path(), containers.nativeCache(), network), metrics);
    }

    /**
     * Checks the swarm and builds the client image; the run then goes on as a Docker run on the manager's engine
     * (monitoring, availability), with services for clients.
     */
    private DockerSetup.Prepared swarmSetup(List<ClientSpec> clients, DockerSettings containers) {
        if (profile.network() != NetworkMode.HOST) {
            throw new DockerSetup.SetupException("--runtime swarm runs clients on the hosts' networks: drop "
                    + "`network: " + profile.network().key() + "` from the profile");
        }
        swarm = SwarmSetup.prepare(runId, clients, containers.clientImage(), containers.fitToHost(), containers.jar(),
                containers.swarm().registry(), containers.swarm().advertiseAddr(), notices);
        return new DockerSetup.Prepared(swarm.engine(), swarm.clients(), null);
    }

    /**
     * Services get no files of this host: each client asks the server for its profile and data share over the event
     * bus.
     */
    private ShareServer shareServer(Vertx vertx) {
        Map<String, ClientData> byId = new HashMap<>();
        DeviceMix.clients(profile).forEach(c -> byId.put(c.id(), split().get(c.index())));
        // Clients need the model, the seed and their device; churn is the server's (and its traces are files here).
        Profile forClients = profile.withDevices(profile.devices().stream()
                .map(d -> d.withAvailability(AvailabilitySpec.ALWAYS)).toList());
        return new ShareServer(vertx, runId, ProfileWriter.toYaml(forClients), byId);
    }

    /** Clients as services; the launch file becomes a Swarm secret. */
    private ClientRuntime swarmRuntime(ClusterSettings cluster, ContainerMetrics metrics) {
        return new SwarmClientRuntime(swarm.engine(), swarm.image(), ClientLaunch.of(runId, cluster,
                dataset.describe()), metrics);
    }

    private ClientRuntime externalRuntime(List<ClientSpec> clients, ClusterSettings cluster) {
        writeClientFiles(clients, cluster);
        return new ExternalClientRuntime(directory.path().toAbsolutePath(), notices);
    }

    /**
     * What a client in another process reads from the run directory: its share of the data, then the launch file
     * (written last, whole), so that a client already waiting for the launch file finds its data there.
     */
    private void writeClientFiles(List<ClientSpec> clients, ClusterSettings cluster) {
        clientData().write(clients.stream().map(ClientSpec::id).toList(), split());
        ClientLaunch.of(runId, cluster, dataset.describe()).write(directory.path());
    }

    private String runtimeName() {
        if (settings.docker() != null) {
            return settings.docker().swarm() != null ? "swarm" : "docker";
        }
        return settings.external() ? "external" : "local";
    }

    /**
     * Each client's settings, one line per client in a small run; in a run of more clients, one line per distinct
     * setting with how many clients have it (summary.json lists every client's).
     *
     * @param reasons each client's settings, in the fleet's order
     */
    private void reportSettings(Map<String, String> reasons) {
        if (reasons.size() <= CLIENTS_LISTED) {
            reasons.forEach((id, reason) -> notices.accept(id + " settings: " + reason));
            return;
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        reasons.forEach((id, reason) -> byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(id));
        byReason.entrySet().stream().limit(CLIENTS_LISTED).forEach(e -> notices.accept(String.format(
                Locale.ROOT, "%d client(s) settings (e.g. %s): %s", e.getValue().size(), e.getValue().get(0),
                e.getKey())));
        if (byReason.size() > CLIENTS_LISTED) {
            notices.accept((byReason.size() - CLIENTS_LISTED) + " more different settings: summary.json has "
                    + "each client's");
        }
    }

    /** Waits for the clients; for those that never came, says what their runtime knows (a container's log). */
    private void awaitClients(List<ClientSpec> clients) throws InterruptedException {
        try {
            List<RegisteredClient> present = coordinator.awaitClients(clients.size(), settings.startupTimeout());
            reportMissing(clients, present);
        } catch (TooFewClientsException e) {
            reportMissing(clients, clientRegistry.available());
            throw e;
        }
    }

    private void reportMissing(List<ClientSpec> clients, List<RegisteredClient> present) {
        Set<String> came = present.stream().map(RegisteredClient::id).collect(Collectors.toSet());
        for (ClientSpec c : clients) {
            if (!came.contains(c.id())) {
                String what = clientRegistry.hasEnded(c.id()) ? " ended during start-up" : " did not register within "
                        + settings.startupTimeout().toSeconds() + " s (--startup-timeout)";
                notices.accept(c.id() + what + ": " + runtime.diagnose(c.id()));
            }
        }
    }

    private void rounds(RunSummary summary) throws InterruptedException {
        for (int round = checkpoint == null ? 1 : checkpoint.round() + 1; round <= profile.rounds(); round++) {
            if (stopRequested) {
                summary.finish(RunSummary.Status.INTERRUPTED, "stopped after round " + (round - 1));
                return;
            }
            if (coordinator.round(round).isEmpty()) {
                break;
            }
            checkpoint(round, summary);
            double deviceSeconds = summary.deviceSeconds();
            Duration budget = settings.deviceTimeBudget();
            if (budget != null && deviceSeconds >= budget.toMillis() / 1e3 && round < profile.rounds()) {
                notices.accept(String.format(Locale.ROOT, "device-time budget of %s reached after round %d (%.1f s): "
                        + "the run ends here", TimeSpan.format(budget), round, deviceSeconds));
                break;
            }
        }
        summary.finish(stopRequested ? RunSummary.Status.INTERRUPTED : RunSummary.Status.COMPLETED, null);
        if (summary.status() == RunSummary.Status.COMPLETED) {
            optimizers.discard();
        }
    }

    /** After each completed round: what a resume needs, so that a crash loses at most the round in flight. */
    private void checkpoint(int round, RunSummary summary) {
        directory.sync(); // the rows of this round reach the disk before the checkpoint that says it is complete
        List<String> members = clientRegistry.memberIds();
        Map<String, Integer> optimizerIndex = optimizers.checkpoint(round, coordinator.clientStates(),
                Set.copyOf(members));
        new Checkpoint(data(dataset), round, coordinator.clock(), coordinator.globalParameters(), strategy.plans(),
                strategy.deadlineSeconds(), memoryKills.counts(), members, summary.state(), optimizerIndex)
                .write(directory.path());
        optimizers.prune();
    }

    private static String data(Dataset dataset) {
        return Checkpoint.data(dataset.name(), dataset.train().size(), dataset.test().size());
    }

    /**
     * Stops the run from another thread (Ctrl-C): clients end their current batch, the round loop ends, and
     * {@link #execute()} returns after writing the run directory.
     */
    public void stop() {
        stopRequested = true;
        Coordinator c = coordinator;
        if (c != null) {
            c.stop();
        }
    }

    /** The server's copy of the network: its initial parameters, then the final ones to save. Built once. */
    private ComputationGraph model() {
        if (serverModel == null) {
            // The server never trains it: the learning rate is only the graph's required setting.
            serverModel = MobileNetV2.of(profile.model(), 0.001, profile.seed()).build();
        }
        return serverModel;
    }

    /** The run directory's final files: the model after the last completed round, and the summary. */
    private void writeResults(RunSummary summary) {
        if (directory == null) {
            return;
        }
        try {
            if (coordinator != null && summary.roundsCompleted() > 0) {
                ComputationGraph model = model();
                ParameterVector.write(model, coordinator.globalParameters());
                directory.writeModel(model);
            }
            directory.writeSummary(summary.toMap());
        } catch (RuntimeException e) {
            LOG.error("could not write the run directory: {}", e.getMessage());
        }
    }
}
