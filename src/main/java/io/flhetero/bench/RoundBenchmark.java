package io.flhetero.bench;

import io.flhetero.data.Dataset;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.fl.server.ClientRegistry;
import io.flhetero.fl.server.ClientRequests;
import io.flhetero.fl.server.OomRestarts;
import io.flhetero.fl.server.RoundCoordinator;
import io.flhetero.fl.strategy.FedAvg;
import io.flhetero.fl.strategy.MemoryKills;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.StrategyName;
import io.flhetero.profile.StrategySpec;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's own cost per round (everything that is not client training: messages, transfer,
 * aggregation), measured with clients that answer at once, and its share of a real round of the default
 * profile.
 */
public final class RoundBenchmark {

    public record Overhead(int clients, double roundMillis, double aggregateMillis, double wireMillis) {
    }

    public record RealRound(double dataPercentage, double roundSeconds, double overheadMillis) {

        public double share() {
            return overheadMillis / 1000 / roundSeconds;
        }
    }

    /** Enough for the JIT to settle: the first rounds run interpreted and cost several times more. */
    public static final int WARMUP_ROUNDS = 10;

    private final int rounds;

    public RoundBenchmark(int rounds) {
        this.rounds = rounds;
    }

    /** Median round time with {@code clients} instant clients, plus the parts measured alone. */
    public Overhead overhead(int clients) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WireMessageCodec.register(vertx.eventBus());
            float[] initial = ParameterVector.read(MobileNetV2.forCifar10(0.1, 0.001, 1).build());
            StrategySpec spec = new StrategySpec(StrategyName.FEDAVG, 1.0, clients, clients, Duration.ofMinutes(1));
            String runId = "bench-" + clients;
            ClientRegistry registry = new ClientRegistry(vertx, runId, new RunListener() { });
            registry.listen();
            MemoryKills kills = new MemoryKills(0);
            RoundCoordinator coordinator = new RoundCoordinator(registry, new ClientRequests(vertx, runId),
                    new FedAvg(spec, 1, new StaticPolicy(), kills), spec, new OomRestarts(kills, id -> false),
                    new RunListener() { }, initial);
            Profile profile = ProfileCatalog.inWorkingDirectory().find(ProfileCatalog.DEFAULT)
                    .parse(new ProfileOverrides(null, clients, null, null));
            for (ClientSpec c : DeviceMix.clients(profile)) {
                vertx.deployVerticle(new InstantClientVerticle(runId, c)).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            coordinator.awaitClients(clients, Duration.ofSeconds(60));
            int warmup = WARMUP_ROUNDS;
            double[] millis = new double[rounds];
            for (int r = 0; r < warmup + rounds; r++) {
                RoundReport report = coordinator.round(r + 1).orElseThrow();
                if (r >= warmup) {
                    millis[r - warmup] = report.wallSeconds() * 1000;
                }
            }
            registry.close();
            return new Overhead(clients, median(millis), aggregateMillis(initial, clients), wireMillis(initial) * clients);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** A real round of the default profile (synthetic data, in-process clients) at a reduced data share. */
    public RealRound realRound(double dataPercentage, double overheadMillis) throws Exception {
        Profile profile = ProfileCatalog.inWorkingDirectory().find(ProfileCatalog.DEFAULT)
                .parse(new ProfileOverrides(1, null, dataPercentage, "synthetic"));
        Dataset data = new Dataset("synthetic", "bench", true, SyntheticCifar.generate(50_000, 1),
                SyntheticCifar.generate(100, 2));
        Path runs = Files.createTempDirectory("fl-hetero-bench");
        List<RoundReport> reports = new ArrayList<>();
        FederatedRun run = new FederatedRun(profile, data, new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(60)),
                new RunListener() {
                    @Override
                    public void roundFinished(RoundReport report) {
                        reports.add(report);
                    }
                });
        run.execute();
        return new RealRound(dataPercentage, reports.get(0).wallSeconds(), overheadMillis);
    }

    private double aggregateMillis(float[] template, int clients) {
        SplittableRandom random = new SplittableRandom(1);
        List<FitOutcome> updates = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            float[] v = template.clone();
            v[random.nextInt(v.length)] += 1f;
            updates.add(new FitOutcome("c" + c, v, 100 + c, 1, 0.5, 1, 1, 32, 1));
        }
        FedAvg fedAvg = new FedAvg(1.0, 1, 1);
        double[] millis = new double[rounds + WARMUP_ROUNDS];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            fedAvg.aggregateFit(1, template, updates, List.of());
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(Arrays.copyOfRange(millis, WARMUP_ROUNDS, millis.length));
    }

    /** Encode and decode of one fit request and one fit result, as a clustered bus would do per client. */
    private static double wireMillis(float[] params) {
        WireMessageCodec codec = new WireMessageCodec("signed, as a clustered run's messages are");
        WireMessage request = new WireMessage(WireMessage.Kind.FIT, new JsonObject().put("round", 1), params);
        WireMessage result = Messages.fitResult(new FitOutcome("c", params, 100, 1, 0.5, 1, 1, 32, 1));
        double[] millis = new double[600];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            for (WireMessage m : List.of(request, result)) {
                Buffer buffer = Buffer.buffer();
                codec.encodeToWire(buffer, m);
                codec.decodeFromWire(0, buffer);
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(Arrays.copyOfRange(millis, 100, millis.length));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
