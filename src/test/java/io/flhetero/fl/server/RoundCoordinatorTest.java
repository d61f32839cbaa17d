package io.flhetero.fl.server;

import io.flhetero.data.ClientData;
import io.flhetero.data.ImageSet;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;
import io.flhetero.fl.availability.OnlineIntervals;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.fl.strategy.FedAvg;
import io.flhetero.fl.strategy.MemoryKills;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.fused.TrainingMemory;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeadlineSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.MemorySize;
import io.flhetero.profile.StrategyName;
import io.flhetero.profile.StrategySpec;
import io.flhetero.runtime.local.LocalClientRuntime;
import io.flhetero.testing.Fixtures;
import io.flhetero.testing.SilentClientVerticle;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round protocol against real clients on a real event bus, with failures made on purpose. */
class RoundCoordinatorTest {

    private static final String RUN = "test-run";

    private Vertx vertx;
    private LocalClientRuntime runtime;
    private ClientRegistry registry;
    private RoundCoordinator coordinator;
    /** Whether the runtime restarts clients killed for memory; without, they leave the run at once. */
    private boolean restartOomKilled;

    @BeforeEach
    void startBus() {
        vertx = Vertx.vertx();
        WireMessageCodec.register(vertx.eventBus());
    }

    @AfterEach
    void stopBus() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (registry != null) {
            registry.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void start(List<ClientSpec> real, int minAvailable, Duration timeout) throws Exception {
        start(real, new StrategySpec(StrategyName.FEDAVG, 1.0, 1, minAvailable, timeout));
    }

    private void start(List<ClientSpec> real, StrategySpec spec) throws Exception {
        start(real, spec, new RunListener() { });
    }

    private void start(List<ClientSpec> real, StrategySpec spec, RunListener listener) throws Exception {
        coordinator = listen(spec, listener);
        List<ClientData> data = real.stream().map(c -> Fixtures.data(128, 16, c.index())).toList();
        runtime = new LocalClientRuntime(vertx, data, Fixtures.MODEL, 1);
        runtime.start(RUN, real, (id, reason, detail) -> { });
    }

    /** The server's side: registration open, and a coordinator. */
    private RoundCoordinator listen(StrategySpec spec, RunListener listener) {
        return listen(spec, listener, Availability.ALWAYS);
    }

    private RoundCoordinator listen(StrategySpec spec, RunListener listener, Availability availability) {
        registry = new ClientRegistry(vertx, RUN, listener);
        registry.listen();
        MemoryKills kills = new MemoryKills(spec.oomRestarts());
        float[] initial = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.005, 1).build());
        return new RoundCoordinator(registry, new ClientRequests(vertx, RUN),
                new FedAvg(spec, 1, new StaticPolicy(), kills), spec,
                new OomRestarts(kills, id -> restartOomKilled && runtime.restart(id)), listener, initial, availability);
    }

    @Test
    void aSilentClientEndsTheRoundAtTheTimeoutAndTheOthersCount() throws Exception {
        List<ClientSpec> real = List.of(Fixtures.client(0, "a", 1, "2g", 32), Fixtures.client(1, "b", 1, "2g", 32));
        start(real, 2, Duration.ofSeconds(4));
        ClientSpec silent = Fixtures.client(2, "hung", 1, "2g", 32);
        vertx.deployVerticle(new SilentClientVerticle(RUN, silent)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(3, coordinator.awaitClients(3, Duration.ofSeconds(30)).size());

        RoundReport report = coordinator.round(1).orElseThrow();

        assertEquals(List.of("client1", "client2"), report.fits().stream().map(f -> f.clientId()).sorted().toList());
        assertEquals(1, report.fitFailures().size());
        assertEquals("client3", report.fitFailures().get(0).clientId());
        assertEquals(FailureReason.TIMEOUT, report.fitFailures().get(0).reason());
        assertTrue(report.fitWallSeconds() >= 4, "the fit step waits out the round timeout for the silent client: "
                + report.fitWallSeconds());
        assertEquals(2, report.evaluations().size(), "the silent client sits out the evaluation");
        assertTrue(report.evaluation().present());
        assertEquals(3, report.clientsLeft(), "a late client stays in the run");
    }

    @Test
    void startUpWaitsNoLongerForAClientWhoseProcessEnded() throws Exception {
        start(List.of(Fixtures.client(0, "a", 1, "2g", 32)), 1, Duration.ofSeconds(30));
        registry.ended("client2"); // its container exited before it registered
        long start = System.nanoTime();

        List<RegisteredClient> present = coordinator.awaitClients(2, Duration.ofSeconds(20));

        assertEquals(List.of("client1"), present.stream().map(RegisteredClient::id).toList());
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "not the 20 s start-up timeout");
        assertTrue(registry.hasEnded("client2"));
    }

    @Test
    void aClientThatEndedAndRegisteredAgainCountsOnce() throws Exception {
        coordinator = listen(new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 1, Duration.ofSeconds(30)),
                new RunListener() { });
        registry.ended("client1"); // died, then restarted: it registers again below
        runtime = new LocalClientRuntime(vertx, List.of(Fixtures.data(128, 16, 0)), Fixtures.MODEL, 1);
        runtime.start(RUN, List.of(Fixtures.client(0, "a", 1, "2g", 32)), (id, reason, detail) -> { });
        registry.awaitRegistrations(() -> !registry.hasEnded("client1"), Duration.ofSeconds(20));
        long start = System.nanoTime();

        List<RegisteredClient> present = coordinator.awaitClients(2, Duration.ofSeconds(3));

        assertEquals(List.of("client1"), present.stream().map(RegisteredClient::id).toList());
        assertFalse(registry.hasEnded("client1"), "its registration clears it");
        assertTrue((System.nanoTime() - start) / 1e9 >= 2.9, "client2 is still waited for, to the timeout");
    }

    @Test
    void tooFewClientsBecauseSomeEndedSaysWhichAtOnce() throws Exception {
        coordinator = listen(new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 2, Duration.ofSeconds(30)),
                new RunListener() { });
        registry.ended("client2");
        registry.ended("client1");
        long start = System.nanoTime();

        TooFewClientsException e = assertThrows(TooFewClientsException.class,
                () -> coordinator.awaitClients(3, Duration.ofSeconds(3)));

        assertEquals("0 of 3 clients registered within 3 s (client1, client2 ended during start-up), fewer than "
                + "min_available_clients 2", e.getMessage(), "client3 was waited for to the timeout");
        assertTrue((System.nanoTime() - start) / 1e9 >= 2.9);
        e = assertThrows(TooFewClientsException.class, () -> coordinator.awaitClients(2, Duration.ofSeconds(20)));
        assertEquals("0 of 2 clients registered (client1, client2 ended during start-up), fewer than "
                + "min_available_clients 2", e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 13, "at once, not after 20 s more");
    }

    @Test
    void aClientOverItsMemoryLimitFailsWithOomAndTheRunGoesOn() throws Exception {
        List<ClientSpec> clients = List.of(Fixtures.client(0, "a", 1, "2g", 32), Fixtures.client(1, "b", 1, "2g", 32),
                Fixtures.client(2, "tiny", 1, "200m", 64));
        start(clients, 2, Duration.ofSeconds(60));
        coordinator.awaitClients(3, Duration.ofSeconds(30));

        RoundReport first = coordinator.round(1).orElseThrow();
        assertEquals(2, first.fits().size());
        assertEquals(FailureReason.OOM, first.fitFailures().get(0).reason());
        assertTrue(first.fitFailures().get(0).detail().contains("200m"), first.fitFailures().get(0).detail());
        assertEquals(2, first.clientsLeft());

        RoundReport second = coordinator.round(2).orElseThrow();
        assertEquals(2, second.fits().size());
        assertTrue(second.fitFailures().isEmpty(), "an OOM-killed client is not asked again");
    }

    @Test
    void aSlowClientPastTheDeadlineContributesPartialWork() throws Exception {
        // 4 batches each; a quarter-CPU device's time runs 4x its CPU time (a batch of 32 takes 20-60 ms of CPU here),
        // so a 60 ms deadline cuts it short after its first batch.
        StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 2, Duration.ofSeconds(60), DeadlineSpec.parse("60ms"));
        start(List.of(Fixtures.client(0, "strong", 1, "2g", 32), Fixtures.client(1, "weak", 0.25, "2g", 32)), spec);
        coordinator.awaitClients(2, Duration.ofSeconds(30));
        RoundReport report = coordinator.round(1).orElseThrow();
        FitOutcome weak = report.fits().stream().filter(f -> f.clientId().equals("client2")).findFirst().orElseThrow();
        assertEquals(4, weak.plannedSteps());
        assertTrue(weak.partial() && weak.steps() >= 1, "the weak client returns what it did: " + weak.steps() + " steps");
        assertEquals(weak.steps() * 32, weak.examples());
        assertTrue(report.fitFailures().isEmpty(), "partial work is a contribution, not a failure");
    }

    @Test
    void overSelectionKeepsTheFirstToFinishAndCutsTheRestShort() throws Exception {
        // Three asked, two kept: the quarter-CPU device is the slowest by device time and is told to stop.
        StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, 2, 2, Duration.ofSeconds(60)).withOverSelection(1);
        start(List.of(Fixtures.client(0, "strong", 1, "2g", 16), Fixtures.client(1, "strong", 1, "2g", 16),
                Fixtures.client(2, "weak", 0.25, "2g", 16)), spec);
        coordinator.awaitClients(3, Duration.ofSeconds(30));
        RoundReport report = coordinator.round(1).orElseThrow();
        assertEquals(List.of("client1", "client2"), report.fits().stream().map(FitOutcome::clientId).sorted().toList());
        assertEquals(1, report.fitFailures().size());
        assertEquals("client3", report.fitFailures().get(0).clientId());
        assertEquals(FailureReason.DROPPED, report.fitFailures().get(0).reason());
        assertEquals(3, report.clientsLeft(), "a dropped client stays in the run");
        assertEquals(3, report.evaluations().size(), "and evaluates");
        assertEquals(report.fits().stream().mapToDouble(FitOutcome::simulatedSeconds).max().orElseThrow()
                        + report.evaluations().stream().mapToDouble(EvaluateOutcome::simulatedSeconds).max().orElseThrow(),
                report.simulatedSeconds(), 1e-9, "the round lasts as long as the slowest client kept, then the "
                        + "slowest evaluation");
        assertTrue(report.evaluations().stream().allMatch(e -> e.simulatedSeconds() > 0), "evaluation takes device "
                + "time");
    }

    @Test
    void aClientKilledForMemoryIsRestartedAndRetriesWithHalfItsBatch() throws Exception {
        // Memory for batch 32 but not 64: the first fit is killed, the restarted client trains at 32.
        TrainingMemory memory = new TrainingMemory(MobileNetV2.of(Fixtures.MODEL, 0.001, 1));
        long dataBytes = ImageSet.storedBytes(128 + 16);
        long fits32 = memory.estimate(32, dataBytes).totalBytes();
        assertTrue(memory.estimate(64, dataBytes).totalBytes() > fits32 + (8 << 20), "the fixture needs a gap");
        String limit = ((fits32 >> 20) + 4) + "m";
        List<String> restarts = new CopyOnWriteArrayList<>();
        restartOomKilled = true;
        start(List.of(Fixtures.client(0, "a", 1, "2g", 32), Fixtures.client(1, "tight", 1, limit, 64)),
                new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 2, Duration.ofSeconds(60)), new RunListener() {
                    @Override
                    public void clientRestarted(String clientId, int restart, int maxRestarts) {
                        restarts.add(clientId + " " + restart + "/" + maxRestarts);
                    }
                });
        coordinator.awaitClients(2, Duration.ofSeconds(30));

        RoundReport first = coordinator.round(1).orElseThrow();
        assertEquals(FailureReason.OOM, first.fitFailures().get(0).reason());
        assertEquals(List.of("client2 1/2"), restarts);
        assertEquals(2, first.clientsLeft(), "a client being restarted still counts towards min_available_clients");

        RoundReport second = coordinator.round(2).orElseThrow();
        assertTrue(second.fitFailures().isEmpty(), "the restarted client trains: " + second.fitFailures());
        FitOutcome retried = second.fits().stream().filter(f -> f.clientId().equals("client2")).findFirst()
                .orElseThrow();
        assertEquals(32, retried.batchSize());
    }

    @Test
    void aDeviceThatGoesOfflineMidFitLosesItsWorkAndOfflineDevicesSitRoundsOut(@TempDir Path dir) throws Exception {
        // client2 is online for the first 20 ms of device time only: it starts round 1 and leaves during its fit.
        Path trace = Files.writeString(dir.resolve("trace.csv"), "client2,0,0.02\nclient2,100000,100001\n");
        ClientSpec steady = Fixtures.client(0, "steady", 1, "2g", 32);
        ClientSpec phone = new ClientSpec("client2", 1, new DeviceClass("phone", 1, MemorySize.parse("2g"), 32, 0.005,
                1, 0, new AvailabilitySpec(1, Duration.ofMinutes(1), trace)));
        StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 2, Duration.ofSeconds(60));
        coordinator = listen(spec, new RunListener() { }, OnlineIntervals.of(List.of(steady, phone), 1));
        runtime = new LocalClientRuntime(vertx, List.of(Fixtures.data(128, 16, 0), Fixtures.data(128, 16, 1)),
                Fixtures.MODEL, 1);
        runtime.start(RUN, List.of(steady, phone), (id, reason, detail) -> { });
        coordinator.awaitClients(2, Duration.ofSeconds(30));

        RoundReport first = coordinator.round(1).orElseThrow();
        assertEquals(List.of("client1"), first.fits().stream().map(FitOutcome::clientId).toList());
        assertEquals(FailureReason.OFFLINE, first.fitFailures().get(0).reason());
        assertTrue(first.fitFailures().get(0).detail().startsWith("went offline 0.0 s into its"),
                first.fitFailures().get(0).detail());
        assertEquals(2, first.clientsLeft(), "an offline device stays in the run");

        RoundReport second = coordinator.round(2).orElseThrow();
        assertEquals(List.of("client1"), second.fits().stream().map(FitOutcome::clientId).toList());
        assertTrue(second.fitFailures().isEmpty(), "an offline device is not asked at all");
        assertEquals(List.of("client1"), second.evaluations().stream().map(e -> e.clientId()).toList());
    }

    @Test
    void tooFewClientsLeftStopsTheRunWithAClearError() throws Exception {
        start(List.of(Fixtures.client(0, "a", 1, "2g", 32), Fixtures.client(1, "tiny", 1, "200m", 64)), 2,
                Duration.ofSeconds(60));
        coordinator.awaitClients(2, Duration.ofSeconds(30));
        TooFewClientsException e = assertThrows(TooFewClientsException.class, () -> coordinator.round(1));
        assertTrue(e.getMessage().contains("client2 (oom)"), e.getMessage());
        assertTrue(e.getMessage().contains("min_available_clients 2"), e.getMessage());
    }

    @Test
    void aClientThatComesBeforeTheServerListensRegistersOnceItDoes() throws Exception {
        // Client containers start while the server still builds its model: they are refused (no handler yet)
        // and ask again.
        StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 1, Duration.ofSeconds(60));
        CountDownLatch firstAttempt = new CountDownLatch(1);
        vertx.eventBus().addOutboundInterceptor(delivery -> {
            if (delivery.message().address().equals(Addresses.registration(RUN))) {
                firstAttempt.countDown();
            }
            delivery.next();
        });
        runtime = new LocalClientRuntime(vertx, List.of(Fixtures.data(32, 8, 0)), Fixtures.MODEL, 1);
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                runtime.start(RUN, List.of(Fixtures.client(0, "a", 1, "2g", 32)), (id, reason, detail) -> { });
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        assertTrue(firstAttempt.await(30, TimeUnit.SECONDS), "the client asks to register");
        assertFalse(started.isDone(), "nobody listens yet: the client cannot have registered");

        coordinator = listen(spec, new RunListener() { });

        assertEquals(List.of("client1"), coordinator.awaitClients(1, Duration.ofSeconds(30)).stream()
                .map(RegisteredClient::id).toList());
        started.get(30, TimeUnit.SECONDS);
    }
}
