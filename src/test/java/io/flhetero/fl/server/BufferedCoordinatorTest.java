package io.flhetero.fl.server;

import io.flhetero.data.ClientData;
import io.flhetero.fl.api.AsyncUpdate;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;
import io.flhetero.fl.availability.OnlineIntervals;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.fl.strategy.FedBuff;
import io.flhetero.fl.strategy.MemoryKills;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.BufferSpec;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.MemorySize;
import io.flhetero.profile.StalenessWeight;
import io.flhetero.profile.StrategyName;
import io.flhetero.profile.StrategySpec;
import io.flhetero.runtime.local.LocalClientRuntime;
import io.flhetero.testing.Fixtures;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FedBuff's driver against real in-process clients: updates are applied in the order of simulated device time,
 * whatever order the host's threads finish in. Synthetic data: this checks ordering, not learning.
 */
class BufferedCoordinatorTest {

    private static final String RUN = "fedbuff-test";

    private Vertx vertx;
    private LocalClientRuntime runtime;
    private ClientRegistry registry;

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

    @Test
    void aSlowDevicesUpdateComesAfterTheFastDevicesLaterOnesAsDeviceTimeSays() throws Exception {
        // Both train the same 4 batches; the quarter-CPU device takes 4x the device time. On the host both take
        // about as long (and may finish in either order); in device time the fast one finishes several more
        // times (its first piece of work also warms the JIT up) before the slow one's first update, which is
        // therefore several versions stale.
        List<ClientSpec> clients = List.of(Fixtures.client(0, "fast", 1, "2g", 32),
                Fixtures.client(1, "slow", 0.25, "2g", 32));
        List<int[]> evaluated = new ArrayList<>();
        BufferedCoordinator coordinator = start(clients, new BufferSpec(1, 2, 0, StalenessWeight.parse("sqrt"), false, 1.0, 2),
                global -> {
                    evaluated.add(new int[] {1});
                    return List.of(new EvaluateOutcome("client1", 1.0, 0.5, 10));
                });
        coordinator.awaitClients(2, Duration.ofSeconds(30));

        List<AsyncUpdate> updates = new ArrayList<>();
        for (int version = 1; version <= 12; version++) {
            RoundReport report = coordinator.round(version).orElseThrow();
            assertEquals(version, report.round());
            assertEquals(1, report.updates().size(), "a buffer of one: one update per version");
            updates.addAll(report.updates());
            assertEquals(version % 2 == 0, report.evaluation().present(), "evaluated every 2 versions");
        }
        AsyncUpdate firstSlow = updates.stream().filter(u -> u.outcome().clientId().equals("client2")).findFirst()
                .orElseThrow(() -> new AssertionError("the slow device never contributed: " + describe(updates)));
        assertTrue(firstSlow.staleness() >= 2, "the slow device's first update is stale by the fast device's "
                + "updates made meanwhile in device time: " + describe(updates));
        assertEquals(1 / Math.sqrt(1 + firstSlow.staleness()), firstSlow.weight(), 1e-12,
                "same data, no frequency correction: the staleness weight alone");
        assertEquals(0, updates.get(0).baseVersion());
        assertEquals("client1", updates.get(0).outcome().clientId(), "the fast device's update is applied first");
        assertEquals(6, evaluated.size());
    }

    @Test
    void aDeviceGoingOfflineLosesItsWorkAndGetsNoMoreWhileOffline(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("trace.csv"), "client2,0,0.02\n");
        ClientSpec steady = Fixtures.client(0, "steady", 1, "2g", 32);
        ClientSpec phone = new ClientSpec("client2", 1, new DeviceClass("phone", 1, MemorySize.parse("2g"), 32, 0.005,
                1, 0, new AvailabilitySpec(1, Duration.ofMinutes(1), trace)));
        BufferedCoordinator coordinator = start(List.of(steady, phone),
                new BufferSpec(1, 2, 0, StalenessWeight.parse("sqrt"), true, 1.0, 100), global -> List.of(),
                OnlineIntervals.of(List.of(steady, phone), 1));
        coordinator.awaitClients(2, Duration.ofSeconds(30));
        List<RoundReport> versions = new ArrayList<>();
        for (int version = 1; version <= 3; version++) {
            versions.add(coordinator.round(version).orElseThrow());
        }
        List<String> offline = versions.stream().flatMap(v -> v.fitFailures().stream())
                .filter(f -> f.reason() == FailureReason.OFFLINE).map(f -> f.clientId()).toList();
        assertEquals(List.of("client2"), offline, "its one piece of work is lost, and it gets no more");
        versions.forEach(v -> v.updates().forEach(u -> assertEquals("client1", u.outcome().clientId())));
    }

    private static String describe(List<AsyncUpdate> updates) {
        return updates.stream().map(u -> u.outcome().clientId() + "@v" + u.baseVersion() + "(s=" + u.staleness()
                + ", device " + String.format("%.2f", u.outcome().simulatedSeconds()) + " s)").toList().toString();
    }

    private BufferedCoordinator start(List<ClientSpec> clients, BufferSpec buffer, Evaluator evaluator)
            throws Exception {
        return start(clients, buffer, evaluator, Availability.ALWAYS);
    }

    private BufferedCoordinator start(List<ClientSpec> clients, BufferSpec buffer, Evaluator evaluator,
                                      Availability availability) throws Exception {
        StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 2, Duration.ofSeconds(60))
                .withBuffer(buffer);
        registry = new ClientRegistry(vertx, RUN, new RunListener() { });
        registry.listen();
        MemoryKills kills = new MemoryKills(0);
        float[] initial = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.005, 1).build());
        BufferedCoordinator coordinator = new BufferedCoordinator(registry, new ClientRequests(vertx, RUN),
                new FedBuff(spec, 1, new StaticPolicy(), kills, null), spec, new OomRestarts(kills, id -> false),
                new RunListener() { }, evaluator, initial, true, 12, availability);
        List<ClientData> data = clients.stream().map(c -> Fixtures.data(128, 16, c.index())).toList();
        runtime = new LocalClientRuntime(vertx, data, Fixtures.MODEL, 1);
        runtime.start(RUN, clients, (id, reason, detail) -> { });
        return coordinator;
    }
}
