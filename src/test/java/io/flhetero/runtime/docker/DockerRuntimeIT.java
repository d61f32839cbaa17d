package io.flhetero.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import io.flhetero.cli.Main;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.FitProgress;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.cluster.LocalAddress;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.NetworkMode;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import io.flhetero.run.DockerSettings;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;
import io.flhetero.testing.DockerAvailable;
import io.flhetero.testing.OwnRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.flhetero.testing.OwnRuns.synthetic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients as containers on a real Docker engine, with host networking: limits, OOM kills, teardown. Bridge
 * networking is checked as far as it goes without traffic: the run's network, its labels, the containers on it
 * and its removal; no container is started on it.
 */
class DockerRuntimeIT {

    private static DockerEngine engine;

    @BeforeAll
    static void engine() {
        engine = DockerAvailable.engine();
    }

    /** The runs these tests started: the only ones their clean-up may touch (the engine may be shared). */
    private static final OwnRuns OURS = new OwnRuns();

    /** After each test, what its runs left (a test that failed half-way must not block the next). */
    @AfterEach
    void removeOurRuns() {
        for (String runId : OURS.ids()) {
            ClientContainers.removeAll(engine.client(), Map.of(RunLabels.RUN, runId));
            RunNetwork.removeAll(engine.client(), Map.of(RunLabels.RUN, runId));
        }
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static Profile profile(String devices, int rounds, int minAvailable) {
        return ProfileReader.parse("it.yaml", "rounds: " + rounds + "\ndevices:\n" + devices
                + "dataset: {name: synthetic, data_percentage: 1.0}\nmodel: {batchnorm_momentum: 0.9}\n"
                + "strategy: {min_fit_clients: 1, min_available_clients: " + minAvailable + ", round_timeout: 3m}\n",
                ProfileOverrides.NONE);
    }

    private static RunSettings settings(Path runs) {
        return new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(120))
                .withDocker(new DockerSettings(DockerAvailable.IMAGE, false, DockerAvailable.JAR));
    }

    @Test
    void limitsReachTheContainersAndTheJvmsInside(@TempDir Path runs) throws Exception {
        Profile profile = profile("""
                  - {name: one,  cpus: 1,   memory: 1g,   batch_size: 16, learning_rate: 0.005}
                  - {name: half, cpus: 0.5, memory: 768m, batch_size: 16, learning_rate: 0.005,
                     link: {down: 8mbit, up: 4mbit, latency: 100ms}}
                """, 2, 2);
        Map<String, HostConfig> limits = new HashMap<>();
        List<RegisteredClient> registered = new ArrayList<>();
        List<RoundReport> rounds = new ArrayList<>();
        FederatedRun[] self = new FederatedRun[1];
        FederatedRun run = OURS.started(new FederatedRun(profile, synthetic(profile, 400), settings(runs), new RunListener() {
            @Override
            public void clientRegistered(RegisteredClient client) {
                registered.add(client);
            }

            @Override
            public void roundFinished(RoundReport report) {
                rounds.add(report);
                if (report.round() == 1) {
                    for (Container c : ClientContainers.withLabels(engine.client(),
                            Map.of(RunLabels.RUN, self[0].id()))) {
                        limits.put(c.getLabels().get(RunLabels.CLIENT),
                                engine.client().inspectContainerCmd(c.getId()).exec().getHostConfig());
                    }
                }
            }
        }));
        self[0] = run;
        RunSummary summary = run.execute();

        assertEquals(RunSummary.Status.COMPLETED, summary.status());
        assertEquals(2, rounds.size());
        assertTrue(Double.isFinite(rounds.get(1).evaluation().accuracy()), "the run reports accuracy");
        assertEquals(1_000_000_000L, limits.get("client1").getNanoCPUs());
        assertEquals(500_000_000L, limits.get("client2").getNanoCPUs());
        assertEquals(1L << 30, limits.get("client1").getMemory());
        assertEquals(768L << 20, limits.get("client2").getMemory());
        assertEquals(limits.get("client1").getMemory(), limits.get("client1").getMemorySwap(), "no swap beyond the limit");
        assertEquals(limits.get("client2").getMemory(), limits.get("client2").getMemorySwap(), "no swap beyond the limit");
        assertEquals("host", limits.get("client1").getNetworkMode());
        for (RoundReport r : rounds) {
            // client2's link, on loopback: each way 100 ms plus the payload over its bandwidth, waited out.
            FitOutcome linked = r.fits().stream().filter(f -> f.clientId().equals("client2")).findFirst().orElseThrow();
            long bytes = (long) linked.parameters().length * Float.BYTES;
            double expected = 0.1 + bytes * 8.0 / 8e6 + 0.1 + bytes * 8.0 / 4e6;
            assertEquals(expected, linked.transferSeconds(), expected * 0.1, "round " + r.round());
            assertTrue(linked.simulatedSeconds() >= linked.fitSeconds() + linked.transferSeconds() - 0.01,
                    "its device time holds its training and its transfers");
            assertEquals(0.0, r.fits().stream().filter(f -> f.clientId().equals("client1")).findFirst().orElseThrow()
                    .transferSeconds(), "client1's link is unlimited");
        }

        for (RegisteredClient c : registered) {
            long limit = c.memoryBytes();
            assertEquals(1, c.processors(), c.id() + ": the JVM sees ceil(cpus) processors");
            assertTrue(c.maxHeapBytes() > limit * 0.18 && c.maxHeapBytes() <= limit * 0.26,
                    c.id() + ": max heap " + c.maxHeapBytes() + " is about 25 % of the " + limit + " limit");
        }
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run.id())).isEmpty(),
                "the end of a run removes its containers");
    }

    @Test
    void aClientOverItsMemoryIsOomKilledThenRestartedAtHalfItsBatch(@TempDir Path runs) throws Exception {
        Profile profile = profile("""
                  - {name: fine,   cpus: 1, memory: 1g,   batch_size: 16,  learning_rate: 0.005}
                  - {name: greedy, cpus: 1, memory: 512m, batch_size: 512, learning_rate: 0.005}
                """, 3, 1);
        // 560 training images each, so that the greedy client really trains at batch 512. The memory model puts
        // batch 512 at ~870 MB and 256 at ~520 MB: the first is killed at 512m, the second is near the edge.
        List<String> restarts = new ArrayList<>();
        FederatedRun run = OURS.started(new FederatedRun(profile, synthetic(profile, 1400), settings(runs), new RunListener() {
            @Override
            public void clientRestarted(String clientId, int restart, int maxRestarts) {
                restarts.add(clientId + " " + restart + "/" + maxRestarts);
            }
        }));
        RunSummary summary = run.execute();

        assertEquals(RunSummary.Status.COMPLETED, summary.status());
        assertEquals(3, summary.roundsCompleted());
        assertEquals("client2 1/2", restarts.get(0), "the OOM-killed container is started again");
        List<String> csv = Files.readAllLines(run.directory().path().resolve(RunDirectory.ROUNDS));
        assertTrue(csv.stream().anyMatch(r -> r.startsWith("1,client2,failed,oom")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(r -> r.startsWith("1,client1,ok")), "the others go on:\n" + String.join("\n", csv));
        // Back in the run at half the batch (256), or a quarter if 256 was still too much: at 512m, 256 is near
        // the edge.
        assertTrue(csv.stream().anyMatch(r -> r.matches("[23],client2,ok,,\\d+,(256|128),.*")),
                "the restarted client trains at a smaller batch:\n" + String.join("\n", csv));
        JsonNode json = new ObjectMapper().readTree(run.directory().path().resolve(RunDirectory.SUMMARY).toFile());
        JsonNode greedy = json.get("clients").get(1);
        assertEquals("client2", greedy.get("id").asText());
        assertEquals(restarts.size(), greedy.get("oom_restarts").asInt(), greedy.toString());
        assertTrue(greedy.get("lost").isNull(), "a restarted client is not lost: " + greedy);
    }

    @Test
    void containersReachTheSameAccuraciesAsInProcessClients(@TempDir Path runs) throws Exception {
        Profile profile = profile("""
                  - {name: one,  cpus: 1,   memory: 1g,   batch_size: 16, learning_rate: 0.005}
                  - {name: half, cpus: 0.5, memory: 768m, batch_size: 32, learning_rate: 0.005}
                """, 2, 2);
        List<Double> inContainers = OURS.accuracies(profile, settings(runs.resolve("docker")));
        List<Double> inProcess = OURS.accuracies(profile, new RunSettings(runs.resolve("local"), "127.0.0.1", 0,
                Duration.ofSeconds(120)));
        assertEquals(2, inContainers.size());
        assertTrue(inContainers.stream().allMatch(a -> a > 0 && a < 1), "accuracies were measured: " + inContainers);
        assertEquals(inProcess, inContainers, "the same seed trains the same models in both runtimes");
    }

    @Test
    void aClientKilledMidFitAndOnePausedPastTheTimeoutLeaveTheRunGoingOn(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("faults.yaml", """
                rounds: 2
                devices:
                  - {name: steady, cpus: 1,   memory: 1g, batch_size: 16, learning_rate: 0.005}
                  - {name: killed, cpus: 0.5, memory: 1g, batch_size: 16, learning_rate: 0.005, local_epochs: 20}
                  - {name: paused, cpus: 0.5, memory: 1g, batch_size: 16, learning_rate: 0.005, local_epochs: 20}
                clients: 3
                dataset: {name: synthetic, data_percentage: 1.0}
                strategy: {min_fit_clients: 1, min_available_clients: 1, round_timeout: 20s}
                """, ProfileOverrides.NONE);
        // Twenty epochs, seconds of work: the kill and the pause, sent at the first progress report, land mid-fit
        // (one epoch of this tiny share was over before a pause reached the engine).
        FederatedRun[] self = new FederatedRun[1];
        Set<String> done = ConcurrentHashMap.newKeySet();
        List<RoundReport> rounds = new ArrayList<>();
        self[0] = OURS.started(new FederatedRun(profile, synthetic(profile, 600), settings(runs), new RunListener() {
            @Override
            public void progress(FitProgress p) {
                if (p.round() == 1 && p.done() >= 1 && !p.clientId().equals("client1") && done.add(p.clientId())) {
                    String container = container(self[0].id(), p.clientId());
                    if (p.clientId().equals("client2")) {
                        engine.client().killContainerCmd(container).exec(); // SIGKILL mid-fit
                    } else {
                        engine.client().pauseContainerCmd(container).exec(); // hung: frozen, never answers
                    }
                }
            }

            @Override
            public void roundFinished(RoundReport report) {
                rounds.add(report);
            }
        }));
        RunSummary summary = self[0].execute();

        assertEquals(RunSummary.Status.COMPLETED, summary.status(), "the run goes on with the client left");
        Map<String, FailureReason> first = new HashMap<>();
        rounds.get(0).fitFailures().forEach(f -> first.put(f.clientId(), f.reason()));
        assertEquals(Map.of("client2", FailureReason.DIED, "client3", FailureReason.TIMEOUT), first);
        assertEquals(List.of("client1"), rounds.get(0).fits().stream().map(f -> f.clientId()).toList());
        assertEquals(2, rounds.get(0).clientsLeft(), "a dead client leaves the run; a late one stays in it");
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, self[0].id())).isEmpty(),
                "the end of the run removes every container, the paused one too");
        JsonNode summaryFile = new ObjectMapper().readTree(runs.resolve(self[0].id()).resolve(RunDirectory.SUMMARY)
                .toFile());
        assertEquals("completed", summaryFile.get("status").asText());
    }

    @Test
    void aClientWhoseContainerEndsDuringStartUpIsNotWaitedFor(@TempDir Path runs) throws Exception {
        // At a tenth of a CPU the JVM takes many seconds to register: the kill lands during start-up.
        Profile profile = profile("""
                  - {name: steady, cpus: 1,   memory: 1g, batch_size: 16, learning_rate: 0.005}
                  - {name: slow,   cpus: 0.1, memory: 1g, batch_size: 16, learning_rate: 0.005}
                """, 1, 1);
        List<String> notices = new CopyOnWriteArrayList<>();
        FederatedRun run = OURS.started(new FederatedRun(profile, synthetic(profile, 400), settings(runs),
                new RunListener() { }, notices::add));
        CompletableFuture<Void> kill = CompletableFuture.runAsync(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until) {
                List<Container> slow = ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run.id(),
                        RunLabels.CLIENT, "client2"));
                if (!slow.isEmpty() && "running".equals(slow.get(0).getState())) {
                    engine.client().killContainerCmd(slow.get(0).getId()).exec();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            throw new AssertionError("client2's container never ran");
        });
        long started = System.nanoTime();
        RunSummary summary = run.execute();
        double seconds = (System.nanoTime() - started) / 1e9;
        kill.get(1, TimeUnit.SECONDS);

        assertEquals(RunSummary.Status.COMPLETED, summary.status());
        assertTrue(notices.stream().anyMatch(n -> n.startsWith("client2 ended during start-up: container exited "
                + "with 137")), notices.toString());
        assertTrue(seconds < settings(runs).startupTimeout().toSeconds() / 2.0, "the run does not wait out the "
                + "start-up timeout for a client that ended: it took " + seconds + " s");
    }

    @Test
    void aFedBuffRunInContainersAppliesUpdatesAsTheyArrive(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("fedbuff.yaml", """
                rounds: 4
                devices:
                  - {name: one,  cpus: 1,   memory: 1g, batch_size: 16, learning_rate: 0.005}
                  - {name: half, cpus: 0.5, memory: 1g, batch_size: 16, learning_rate: 0.005}
                dataset: {name: synthetic, data_percentage: 1.0}
                strategy: {name: fedbuff, buffer_size: 1, min_fit_clients: 1, round_timeout: 3m}
                """, ProfileOverrides.NONE);
        List<RoundReport> versions = new ArrayList<>();
        FederatedRun run = OURS.started(new FederatedRun(profile, synthetic(profile, 400), settings(runs), new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                versions.add(report);
            }
        }));
        assertEquals(RunSummary.Status.COMPLETED, run.execute().status());
        assertEquals(List.of(1, 2, 3, 4), versions.stream().map(RoundReport::round).toList());
        versions.forEach(v -> assertEquals(1, v.updates().size()));
        assertTrue(versions.get(3).evaluation().present(), "the last version is evaluated, on the server");
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run.id())).isEmpty());
    }

    @Test
    void aDeviceThatGoesOfflineHasItsContainerStoppedAndStartedAgainWithItsData(@TempDir Path runs)
            throws Exception {
        // client2's device leaves 0.05 s of device time into round 1 (its work is lost) and is back from 1 s on
        // (rounds take 0.3-1.5 s here): whether both changes come in one round or apart, its container stops
        // before the device is back.
        Path trace = Files.writeString(runs.resolve("trace.csv"), "client2,0,0.05\nclient2,1,100000\n");
        Profile profile = profile("  - {name: steady, cpus: 1, memory: 1g, batch_size: 16, learning_rate: 0.005}\n"
                + "  - {name: phone, cpus: 1, memory: 1g, batch_size: 16, learning_rate: 0.005, availability: {trace: "
                + trace + "}}\n", 5, 1);
        List<RoundReport> rounds = new ArrayList<>();
        List<String> containerWhenBack = new ArrayList<>();
        String[] runId = new String[1];
        FederatedRun run = OURS.started(new FederatedRun(profile, synthetic(profile, 400), settings(runs), new RunListener() {
            @Override
            public void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
                if (online) { // told before the run starts the container again
                    containerWhenBack.add(engine.client().inspectContainerCmd(container(runId[0], clientId)).exec()
                            .getState().getStatus());
                }
            }

            @Override
            public void roundFinished(RoundReport report) {
                rounds.add(report);
            }
        }));
        runId[0] = run.id();
        assertEquals(RunSummary.Status.COMPLETED, run.execute().status());

        assertTrue(rounds.get(0).fitFailures().stream().anyMatch(f -> f.clientId().equals("client2")
                && f.reason() == FailureReason.OFFLINE), "its round-1 work is lost: " + rounds.get(0).fitFailures());
        assertEquals(List.of("exited"), containerWhenBack, "its container was stopped while it was away");
        FitOutcome back = rounds.stream().flatMap(r -> r.fits().stream()).filter(f -> f.clientId().equals("client2"))
                .findFirst().orElseThrow(() -> new AssertionError("client2 never trained again after coming back"));
        FitOutcome steady = rounds.get(0).fits().get(0);
        assertEquals(steady.dataExamples(), back.dataExamples(), "it came back with its share of the data");
        assertEquals(List.of("client_id,online,device_seconds", "client2,false,0.050", "client2,true,1.000"),
                Files.readAllLines(run.directory().path().resolve(RunDirectory.AVAILABILITY)));
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run.id())).isEmpty());
    }

    private static String container(String runId, String clientId) {
        return ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId, RunLabels.CLIENT, clientId))
                .get(0).getId();
    }

    @Test
    void limitsThatCannotBeMetAreRefusedBeforeAnythingStarts(@TempDir Path runs) {
        int before = ClientContainers.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true")).size();
        Profile tooManyCpus = profile("  - {name: big, cpus: 64, memory: 1g, batch_size: 16, learning_rate: 0.01}\n", 1, 1);
        LimitCheck.LimitException e = assertThrows(LimitCheck.LimitException.class,
                () -> OURS.started(new FederatedRun(tooManyCpus, synthetic(tooManyCpus, 400), settings(runs),
                        new RunListener() { })).execute());
        assertTrue(e.getMessage().contains("client1 (big): cpus 64 is more than the engine's"), e.getMessage());
        assertTrue(e.getMessage().contains("--fit-to-host"), e.getMessage());
        Profile tooLittleMemory = profile("  - {name: tiny, cpus: 1, memory: 100m, batch_size: 16, learning_rate: 0.01}\n", 1, 1);
        e = assertThrows(LimitCheck.LimitException.class,
                () -> OURS.started(new FederatedRun(tooLittleMemory, synthetic(tooLittleMemory, 400), settings(runs),
                        new RunListener() { })).execute());
        assertTrue(e.getMessage().contains("memory 100m is below the 512m a client JVM needs"), e.getMessage());
        assertEquals(before, ClientContainers.withLabels(engine.client(), Map.of(RunLabels.PRODUCT, "true")).size(),
                "no container was started");
    }

    @Test
    void ctrlCStopsADockerRunAndRemovesItsContainers(@TempDir Path runs) throws Exception {
        Process orchestrator = orchestrator(runs);
        Watched run = watch(orchestrator, line -> {
            if (line.startsWith("round   1/50")) {
                sigint(orchestrator);
            }
            return false;
        });
        assertTrue(orchestrator.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, orchestrator.exitValue(), run.output());
        assertNotNull(run.runId(), run.output());
        OURS.add(run.runId());
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, run.runId())).isEmpty(),
                "Ctrl-C removes the run's containers: " + run.output());
        JsonNode summary = new ObjectMapper().readTree(runs.resolve(run.runId()).resolve(RunDirectory.SUMMARY).toFile());
        assertEquals("interrupted", summary.get("status").asText());
    }

    @Test
    void stopLeavesALiveRunAloneUnlessForcedAndTheRunSaysWhatHappened(@TempDir Path runs) throws Exception {
        Process orchestrator = orchestrator(runs);
        String[] runId = new String[1];
        int[] refused = new int[1];
        int[] keptContainers = new int[1];
        int[] forced = new int[1];
        Watched run = watch(orchestrator, line -> {
            Matcher m = RUN_STARTED.matcher(line);
            if (m.find()) {
                runId[0] = m.group(1);
                OURS.add(runId[0]);
            }
            if (line.startsWith("round   1/")) {
                refused[0] = Main.execute("stop", runId[0]);
                keptContainers[0] = ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId[0])).size();
                forced[0] = Main.execute("stop", runId[0], "--force");
            }
            return false; // read on to the end of the run
        });
        assertTrue(orchestrator.waitFor(120, TimeUnit.SECONDS), run.output());
        assertEquals(2, refused[0], "a live run is refused:\n" + run.output());
        assertEquals(2, keptContainers[0], "and keeps its containers");
        assertEquals(0, forced[0], "--force removes them");
        assertTrue(run.output().contains("container removed from outside the run"),
                "the run says why its clients are gone, not memory:\n" + run.output());
        assertFalse(run.output().contains("OOM"), run.output());
    }

    @Test
    void aKilledOrchestratorsRunResumesInContainersAfterClearingWhatItLeft(@TempDir Path runs) throws Exception {
        Process killed = orchestrator(runs, "--profile", "quickstart", "--dataset", "synthetic", "--rounds", "3");
        Watched first = watch(killed, line -> {
            if (line.startsWith("round   1/")) {
                killed.destroyForcibly(); // SIGKILL: containers and network stay behind
                return true;
            }
            return false;
        });
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        assertNotNull(first.runId(), first.output());
        OURS.add(first.runId());
        assertFalse(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, first.runId())).isEmpty(),
                "the kill left the run's containers");

        Process resumed = orchestrator(runs, "--resume", first.runId());
        Watched second = watch(resumed, line -> false);
        assertTrue(resumed.waitFor(180, TimeUnit.SECONDS), second.output());
        assertEquals(0, resumed.exitValue(), second.output());
        assertTrue(second.output().contains("removed what the stopped run " + first.runId() + " left behind"),
                second.output());
        JsonNode summary = new ObjectMapper().readTree(runs.resolve(first.runId()).resolve(RunDirectory.SUMMARY)
                .toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(3, summary.get("rounds_completed").asInt());
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, first.runId())).isEmpty(),
                "the resumed run removes its containers at its end");
    }

    @Test
    void twoRunsShareOneEngine(@TempDir Path runs) throws Exception {
        // Rounds enough that the first is live while the second starts (three tiny rounds could end before); it is
        // stopped with Ctrl-C once the second has run.
        Process a = orchestrator(runs, "--profile", "quickstart", "--dataset", "synthetic", "--rounds", "50");
        CompletableFuture<Void> aTraining = new CompletableFuture<>();
        CompletableFuture<Watched> watchedA = CompletableFuture.supplyAsync(() -> watchQuietly(a, line -> {
            if (line.startsWith("round   1/")) {
                aTraining.complete(null);
            }
            return false;
        }));
        aTraining.get(180, TimeUnit.SECONDS);
        Process b = orchestrator(runs, "--profile", "quickstart", "--dataset", "synthetic", "--rounds", "2");
        Watched wb = watch(b, line -> false);
        boolean aStillLive = a.isAlive();
        sigint(a);
        Watched wa = watchedA.get(240, TimeUnit.SECONDS);
        assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
        OURS.add(wa.runId());
        OURS.add(wb.runId());
        assertTrue(aStillLive, "the first run outlasts the second: " + wa.output());
        assertEquals(130, a.exitValue(), "stopped with Ctrl-C:\n" + wa.output());
        assertEquals(0, b.exitValue(), wb.output());
        assertTrue(wb.output().contains("run " + wa.runId() + " is live on this engine too"),
                "the second run starts beside the first and says they share the host:\n" + wb.output());
    }

    private static Watched watchQuietly(Process orchestrator, Predicate<String> done) {
        try {
            return watch(orchestrator, done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void stopRemovesTheContainersOfAKilledOrchestrator(@TempDir Path runs) throws Exception {
        Process orchestrator = orchestrator(runs);
        Watched run = watch(orchestrator, line -> {
            if (line.startsWith("client client2") && line.contains("registered")) {
                orchestrator.destroyForcibly(); // SIGKILL: no shutdown hook runs
                return true;
            }
            return false;
        });
        assertTrue(orchestrator.waitFor(30, TimeUnit.SECONDS));
        String runId = run.runId();
        assertNotNull(runId, run.output());
        OURS.add(runId);
        List<Container> left = ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId));
        assertEquals(2, left.size(), "a SIGKILLed orchestrator leaves its containers: " + run.output());
        String status = stdout(() -> assertEquals(0, Main.execute("status")));
        for (String row : List.of("client1\\s+strong\\s+running\\s+1\\.00\\s+2048m",
                "client2\\s+weak\\s+running\\s+0\\.50\\s+1024m")) {
            assertTrue(Pattern.compile("(?m)^" + runId + "\\s+" + row + "\\s").matcher(status).find(),
                    "status lists each container with its device and limits:\n" + status);
        }

        assertEquals(0, Main.execute("stop", runId));
        assertEquals(2, Main.execute("stop", runId), "a run with nothing left is not stopped twice");
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId)).isEmpty());
    }

    @Test
    void aBridgedRunGetsANetworkOfItsOwnThatStopRemovesWithItsContainers(@TempDir Path runs) throws Exception {
        String runId = "it-bridge-" + System.nanoTime();
        OURS.add(runId);
        RunNetwork network = RunNetwork.forRun(NetworkMode.BRIDGE, engine.client(), runId);

        Network inspected = engine.client().inspectNetworkCmd().withNetworkId(network.id()).exec();
        assertEquals("fl-hetero-" + runId, inspected.getName());
        assertEquals("bridge", inspected.getDriver());
        assertEquals(RunLabels.network(runId), inspected.getLabels());
        assertTrue(LocalAddress.contains(network.clientSubnet(), InetAddress.getByName(network.serverHost())),
                "the server listens on the network's gateway, inside the clients' subnet: " + network);
        ClientSpec client = DeviceMix.clients(profile(
                "  - {name: d, cpus: 1, memory: 1g, batch_size: 8, learning_rate: 0.01}\n", 1, 1)).get(0);
        String id = new ClientContainers(engine.client(), DockerAvailable.IMAGE, DockerAvailable.JAR, runs,
                Files.createDirectories(runs.resolve("cache")), network).create(runId, client);
        assertEquals(network.mode(), engine.client().inspectContainerCmd(id).exec().getHostConfig().getNetworkMode());
        String status = stdout(() -> assertEquals(0, Main.execute("status")));
        assertTrue(status.contains("run " + runId + " has network fl-hetero-" + runId), status);

        // This test's own process owns the run's objects, and is alive: stop needs --force.
        assertEquals(2, Main.execute("stop", runId));
        assertEquals(0, Main.execute("stop", runId, "--force"));
        assertTrue(ClientContainers.withLabels(engine.client(), Map.of(RunLabels.RUN, runId)).isEmpty());
        assertTrue(RunNetwork.withLabels(engine.client(), Map.of(RunLabels.RUN, runId)).isEmpty());
    }

    /** What {@code action} printed on standard output. */
    private static String stdout(Runnable action) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final Pattern RUN_STARTED = Pattern.compile("^run (\\S+): clients run as Docker containers");

    /** `run` with Docker as a separate process, 50 rounds: long enough to be stopped or killed. */
    private static Process orchestrator(Path runs) throws Exception {
        return orchestrator(runs, "--profile", "quickstart", "--dataset", "synthetic", "--rounds", "50");
    }

    static Process orchestrator(Path runs, String... how) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", DockerAvailable.JAR.toString(), "run",
                "--runtime", "docker", "--client-image", DockerAvailable.IMAGE, "--synthetic-examples", "400",
                "--metrics-port", "0", "--no-monitoring", "--runs-dir", runs.toString()));
        command.addAll(List.of(how));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1"); // no relaunch: this process is the orchestrator
        return builder.start();
    }

    record Watched(String runId, String output) {
    }

    /** Reads the orchestrator's output to its end, or until {@code done} says so, noting the run id it prints. */
    static Watched watch(Process orchestrator, Predicate<String> done) throws IOException {
        String runId = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(orchestrator.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = RUN_STARTED.matcher(line);
                if (m.find()) {
                    runId = m.group(1);
                }
                if (done.test(line)) {
                    break;
                }
            }
        }
        return new Watched(runId, output.toString());
    }

    /** Ctrl-C, as a terminal sends it. */
    private static void sigint(Process process) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
