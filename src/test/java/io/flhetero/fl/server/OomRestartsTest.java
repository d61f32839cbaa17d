package io.flhetero.fl.server;

import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.strategy.FedAvg;
import io.flhetero.fl.strategy.MemoryKills;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.profile.StrategyName;
import io.flhetero.profile.StrategySpec;
import io.flhetero.testing.Fixtures;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OomRestartsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aClientKilledInEvaluationIsRestartedAndTrainsAtHalfItsBatchAsTheConsoleSays() {
        StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, 1, 1, Duration.ofSeconds(10));
        MemoryKills kills = new MemoryKills(2);
        FedAvg strategy = new FedAvg(spec, 1, new StaticPolicy(), kills);
        RegisteredClient client = Fixtures.registered("client1", 1, 1L << 30, 100, 10);
        List<String> told = new ArrayList<>();
        RunListener console = new RunListener() {
            @Override
            public void clientRestarted(String clientId, int restart, int maxRestarts) {
                told.add(clientId + " " + restart + "/" + maxRestarts);
            }
        };
        ClientRegistry registry = new ClientRegistry(vertx, "run", console);
        OomRestarts restarts = new OomRestarts(kills, id -> true);
        Failure inEvaluation = new Failure("client1", FailureReason.OOM, "killed while evaluating");

        restarts.handle(List.of(inEvaluation), registry, console);
        assertEquals(List.of("client1 1/2"), told);
        assertEquals(16, strategy.configureFit(2, new float[1], List.of(client)).get(0).config().batchSize());

        restarts.handle(List.of(inEvaluation), registry, console);
        restarts.handle(List.of(inEvaluation), registry, console);
        assertEquals(List.of("client1 1/2", "client1 2/2"), told, "a third kill is past oom_restarts: it stays out");
        assertEquals(0, registry.members(), "and the run does not wait for it");
        assertEquals(4, strategy.configureFit(3, new float[1], List.of(client)).get(0).config().batchSize());
    }
}
