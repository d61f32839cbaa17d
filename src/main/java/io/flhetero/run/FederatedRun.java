package io.flhetero.run;

import io.flhetero.data.ClientData;
import io.flhetero.data.Dataset;
import io.flhetero.data.FederatedData;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.fl.server.RoundCoordinator;
import io.flhetero.fl.server.RunListener;
import io.flhetero.fl.server.TooFewClientsException;
import io.flhetero.fl.strategy.FedAvg;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.monitor.FlMetrics;
import io.flhetero.monitor.MetricsServer;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import io.flhetero.runtime.ClientRuntime;
import io.flhetero.runtime.local.LocalClientRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private final String runId = RunId.next();
    private volatile RoundCoordinator coordinator;
    private volatile ClientRuntime runtime;
    private volatile boolean stopRequested;
    private PrometheusMeterRegistry registry;
    private MetricsServer metricsServer;
    private RunDirectory directory;

    public FederatedRun(Profile profile, Dataset dataset, RunSettings settings, RunListener console) {
        this.profile = profile;
        this.dataset = dataset;
        this.settings = settings;
        this.console = console;
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
        return registry.scrape();
    }

    /**
     * Runs the experiment on this thread. Throws {@link MetricsServer.PortInUseException} before anything
     * starts when the metrics port is taken.
     */
    public RunSummary execute() throws Exception {
        List<ClientSpec> clients = DeviceMix.clients(profile);
        RunSummary summary = new RunSummary(runId, profile, dataset, "local", clients);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        try {
            metricsServer = MetricsServer.start(vertx, registry, settings.metricsHost(), settings.metricsPort());
            WireMessageCodec.register(vertx.eventBus());
            directory = RunDirectory.create(settings.runsDir(), runId, profile);
            List<ClientData> data = FederatedData.split(dataset.train(), profile.dataset().partition(),
                    profile.clients(), profile.dataset().testSplit(), profile.dataset().dataPercentage(),
                    profile.dataset().seed());
            RunListener listeners = RunListener.all(List.of(new FlMetrics(registry), directory, summary, console));
            float[] initial = ParameterVector.read(model());
            coordinator = new RoundCoordinator(vertx, runId, new FedAvg(profile.strategy(), profile.seed()),
                    profile.strategy(), initial, listeners);
            coordinator.listen();
            runtime = new LocalClientRuntime(vertx, data, profile.model(), profile.seed());
            runtime.start(runId, clients);
            coordinator.awaitClients(clients.size(), settings.startupTimeout());
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
                summary.finish(stopRequested ? RunSummary.Status.INTERRUPTED : RunSummary.Status.FAILED, e.toString());
            }
            throw e;
        } finally {
            tearDown(vertx, summary);
        }
        return summary;
    }

    private void rounds(RunSummary summary) {
        for (int round = 1; round <= profile.rounds(); round++) {
            if (stopRequested) {
                summary.finish(RunSummary.Status.INTERRUPTED, "stopped after round " + (round - 1));
                return;
            }
            coordinator.round(round);
        }
        summary.finish(stopRequested ? RunSummary.Status.INTERRUPTED : RunSummary.Status.COMPLETED, null);
    }

    /**
     * Stops the run from another thread (Ctrl-C): clients end their current batch, the round loop ends, and
     * {@link #execute()} returns after writing the run directory.
     */
    public void stop() {
        stopRequested = true;
        RoundCoordinator c = coordinator;
        if (c != null) {
            c.stop();
        }
        ClientRuntime r = runtime;
        if (r != null) {
            r.close();
        }
    }

    private ComputationGraph model() {
        return MobileNetV2.of(profile.model(), 0.001, profile.seed()).build();
    }

    private void tearDown(Vertx vertx, RunSummary summary) {
        try {
            if (directory != null) {
                if (coordinator != null && summary.roundsCompleted() > 0) {
                    ComputationGraph model = model();
                    ParameterVector.write(model, coordinator.globalParameters());
                    directory.writeModel(model);
                }
                directory.writeSummary(summary.toMap());
                directory.close();
            }
        } catch (RuntimeException e) {
            LOG.error("could not write the run directory: {}", e.toString());
        } finally {
            if (coordinator != null) {
                coordinator.shutdownClients();
            }
            if (runtime != null) {
                runtime.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("closing Vert.x: {}", e.toString());
            }
        }
    }
}
