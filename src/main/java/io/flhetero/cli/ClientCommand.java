package io.flhetero.cli;

import io.flhetero.data.ClientData;
import io.flhetero.data.ClientDataFiles;
import io.flhetero.fl.client.ClientModel;
import io.flhetero.fl.client.ClientVerticle;
import io.flhetero.fl.client.DeviceEmulation;
import io.flhetero.fl.client.FlClient;
import io.flhetero.fl.cluster.ClusteredVertx;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.MemorySize;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.profile.TimeSpan;
import io.flhetero.runtime.docker.ClientLaunch;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code client}: one FL client, the entry point inside a client container. It reads the run's launch file,
 * profile and its share of the data (all written by the orchestrator, or the last two asked of the server), joins
 * the run's cluster and trains until the server shuts it down.
 */
@Command(mixinStandardHelpOptions = true, name = "client", description = "Run one FL client; the entry point "
        + "inside client containers (`run --runtime docker`, `export compose`), Swarm services (`run --runtime "
        + "swarm`) and for clients started elsewhere (`run --runtime external`).")
final class ClientCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCommand.class);

    @Option(names = "--launch", required = true, paramLabel = "FILE", description = "The run's client.json.")
    Path launchFile;

    @Option(names = "--profile", paramLabel = "FILE", description = "The run's resolved profile (not with "
            + "--from-server).")
    Path profileFile;

    @Option(names = "--from-server", description = "Take the run's profile and this client's share of the data from "
            + "the server over the event bus instead of files (Swarm services, which have no files of the run's host).")
    boolean fromServer;

    @Option(names = "--client-id", required = true, description = "This client's id, e.g. client1.")
    String clientId;

    @Option(names = "--cpus", required = true, description = "The container's CPU limit, as reported to the server.")
    double cpus;

    @Option(names = "--memory", required = true, description = "The container's memory limit, as reported to the server.")
    String memory;

    @Option(names = "--wait", defaultValue = "5m", paramLabel = "DURATION", description = "How long to wait for the "
            + "launch file, for a client started before its run (default: ${DEFAULT-VALUE}).")
    String wait;

    @Option(names = "--data-dir", defaultValue = ClientLaunch.RUN_DIR + "/" + ClientLaunch.DATA, description = "Where the "
            + "orchestrator wrote each client's share of the data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    @Override
    public Integer call() throws Exception {
        if (fromServer == (profileFile != null)) {
            throw new BadInputException("give either --profile FILE (with the data in --data-dir) or --from-server");
        }
        awaitLaunchFile();
        ClientLaunch launch = ClientLaunch.read(launchFile);
        // Joining the cluster includes waiting on the network: start it while the data loads and the model builds.
        CompletableFuture<Vertx> joined = CompletableFuture.supplyAsync(() -> join(launch, clientId));
        try {
            if (fromServer) {
                Share share = fetchShare(launch, joined.get(90, TimeUnit.SECONDS));
                return serve(launch, share.profile(), spec(share.profile()), joined, share::data);
            }
            Profile profile = ProfileReader.read(profileFile);
            return serve(launch, profile, spec(profile), joined, () -> new ClientDataFiles(dataDir).read(clientId));
        } finally {
            if (joined.isDone() && !joined.isCompletedExceptionally()) {
                // Leaves the cluster cleanly, so that the server sees this client go at once. When the server and
                // the other clients leave at the same moment (the run's end), the cluster may take longer to let
                // go: the work is done, so that is not a failure.
                try {
                    joined.get().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    LOG.warn("{}: leaving the cluster took over 10 s; exiting without waiting", clientId);
                }
            } else {
                joined.thenAccept(Vertx::close);
            }
        }
    }

    /** This client as the profile plans it, with the limits its container was given. */
    private ClientSpec spec(Profile profile) {
        ClientSpec planned = DeviceMix.clients(profile).stream().filter(c -> c.id().equals(clientId)).findFirst()
                .orElseThrow(() -> new BadInputException(profile.source() + " has no client " + clientId));
        return new ClientSpec(clientId, planned.index(), planned.device().withLimits(cpus, MemorySize.parse(memory)));
    }

    private record Share(Profile profile, ClientData data) {
    }

    /**
     * Asks the server for the profile and this client's share; retried while the server's handler is not seen yet.
     * Only the decoded share is kept: the message's bytes are garbage once it returns.
     */
    private Share fetchShare(ClientLaunch launch, Vertx vertx) throws Exception {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(Duration.ofMinutes(2).toMillis());
        for (int attempt = 1; ; attempt++) {
            try {
                WireMessage share = vertx.eventBus().<WireMessage>request(Addresses.share(launch.runId()),
                                Messages.shareRequest(clientId), options)
                        .toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES).body();
                LOG.info("{}: its share of {} received at {} ms ({} MB)", clientId, launch.dataset(), uptime(),
                        share.data().length >> 20);
                return new Share(ProfileReader.parse("the profile of run " + launch.runId(),
                        Messages.shareProfile(share), ProfileOverrides.NONE), Messages.shareData(share));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
                        && attempt < 30) {
                    Thread.sleep(1_000);
                    continue;
                }
                throw new IllegalStateException(clientId + ": the server of run " + launch.runId() + " gave no data "
                        + "share: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** A client started with its run (compose, a script) waits for the run to write its launch file. */
    private void awaitLaunchFile() throws InterruptedException {
        Duration patience;
        try {
            patience = TimeSpan.parse(wait);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--wait: '" + wait + "' is not a duration; give one such as 90s or 5m");
        }
        long deadline = System.nanoTime() + patience.toNanos();
        if (!Files.exists(launchFile)) {
            LOG.info("{}: waiting up to {} for {}", clientId, wait, launchFile);
        }
        while (!Files.exists(launchFile)) {
            if (System.nanoTime() > deadline) {
                throw new BadInputException("no launch file " + launchFile + " after " + wait + ": start the run "
                        + "first (`run --runtime external --run-id ID`), or check the path");
            }
            Thread.sleep(250);
        }
    }

    private static Vertx join(ClientLaunch launch, String clientId) {
        try {
            Vertx vertx = ClusteredVertx.start(launch.cluster(), false, null, new VertxOptions(), Duration.ofSeconds(60));
            WireMessageCodec.register(vertx.eventBus(), launch.cluster().token());
            LOG.info("{}: joined cluster {} at {} ms", clientId, launch.clusterName(), uptime());
            return vertx;
        } catch (Exception e) {
            throw new CompletionException("could not join the run's cluster " + launch.clusterName() + ": " + e, e);
        }
    }

    private Integer serve(ClientLaunch launch, Profile profile, ClientSpec spec, CompletableFuture<Vertx> joined,
                          Supplier<ClientData> share) throws Exception {
        DeviceClass d = spec.device();
        ClientData data = share.get();
        LOG.info("{}: its share of {} read at {} ms", clientId, launch.dataset(), uptime());
        FlClient client = new FlClient(clientId, ClientModel.own(FusedNetwork.of(MobileNetV2.of(profile.model(),
                d.learningRate(), profile.seed() + spec.index()))), data, profile.seed() + spec.index());
        LOG.info("{}: model built at {} ms", clientId, uptime());
        Vertx vertx = joined.get(90, TimeUnit.SECONDS);
        String deployment = vertx.deployVerticle(new ClientVerticle(launch.runId(), spec, client,
                        DeviceEmulation.real(spec.device().link()), 1, true))
                .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS); // outlasts its retries
        LOG.info("{}: registered with run {} at {} ms ({} train / {} test images, {} processors, max heap {} MB)",
                clientId, launch.runId(), uptime(), data.train().size(), data.test().size(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        while (vertx.deploymentIDs().contains(deployment)) {
            Thread.sleep(500);
        }
        return ExitCode.OK;
    }
}
