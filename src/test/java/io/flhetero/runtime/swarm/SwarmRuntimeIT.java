package io.flhetero.runtime.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import io.flhetero.cli.Main;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import io.flhetero.run.DockerSettings;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;
import io.flhetero.run.SwarmSettings;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.LimitCheck;
import io.flhetero.runtime.docker.RunLabels;
import io.flhetero.runtime.docker.RunServices;
import io.flhetero.runtime.docker.RunsOnEngine;
import io.flhetero.testing.DockerAvailable;
import io.flhetero.testing.OwnRuns;
import io.flhetero.testing.Requirement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.flhetero.testing.OwnRuns.synthetic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients as services of a real single-node Docker Swarm on 127.0.0.1 (`docker swarm init --advertise-addr
 * 127.0.0.1`), with host networking, and the client image pushed to a registry on 127.0.0.1 (Debian's
 * docker-registry; FL_HETERO_TEST_REGISTRY, default 127.0.0.1:5000). Cross-host traffic is not tested here.
 */
class SwarmRuntimeIT {

    private static final String REGISTRY = System.getenv().getOrDefault("FL_HETERO_TEST_REGISTRY", "127.0.0.1:5000");
    private static DockerEngine engine;

    /** The runs these tests started: the only ones their clean-up may touch (the engine may be shared). */
    private static final OwnRuns OURS = new OwnRuns();

    @BeforeAll
    static void swarm() {
        engine = DockerAvailable.engine();
        var swarm = engine.client().infoCmd().exec().getSwarm();
        if (swarm == null || !Boolean.TRUE.equals(swarm.getControlAvailable())) {
            Requirement.missing("Docker Swarm", "the engine is not a swarm manager; run `docker swarm init "
                    + "--advertise-addr 127.0.0.1`");
        }
    }

    @AfterEach
    void removeOurRuns() {
        for (String runId : OURS.ids()) {
            RunsOnEngine.removeRun(engine, runId);
        }
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static RunSettings swarmSettings(Path runs, String registry) {
        return new RunSettings(runs, "127.0.0.1", 0, Duration.ofSeconds(180))
                .withDocker(new DockerSettings(DockerAvailable.IMAGE, true, DockerAvailable.JAR)
                        .withSwarm(new SwarmSettings(registry, null)));
    }

    private static void requireRegistry() {
        try {
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + REGISTRY + "/v2/")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 200) {
                return;
            }
        } catch (Exception e) {
            // Below.
        }
        Requirement.missing("Docker Swarm", "no registry answers at " + REGISTRY + "; start one (`docker-registry "
                + "serve CONFIG` with http.addr 127.0.0.1:5000) or set FL_HETERO_TEST_REGISTRY");
    }

    @Test
    void theSeedProfileRunsAsServicesWithItsLimitsAndTheAccuraciesOfContainersAndInProcessClients(@TempDir Path runs)
            throws Exception {
        requireRegistry();
        Profile seed = ProfileReader.read(Path.of("profiles", "seed.yaml"), new ProfileOverrides(2, null, 1.0, null));
        Map<String, HostConfig> limits = new HashMap<>();
        Map<String, ServiceSpec> services = new HashMap<>();
        List<Double> asServices = new ArrayList<>();
        FederatedRun[] self = new FederatedRun[1];
        FederatedRun run = OURS.started(new FederatedRun(seed, synthetic(seed, 400), swarmSettings(runs.resolve("swarm"),
                REGISTRY), new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                asServices.add(report.evaluation().accuracy());
                if (report.round() == 1) {
                    Map<String, String> ours = Map.of(RunLabels.RUN, self[0].id());
                    for (Container c : ClientContainers.withLabels(engine.client(), ours)) {
                        limits.put(c.getLabels().get(RunLabels.CLIENT),
                                engine.client().inspectContainerCmd(c.getId()).exec().getHostConfig());
                    }
                    RunServices.withLabels(engine.client(), ours).forEach(s ->
                            services.put(s.getSpec().getLabels().get(RunLabels.CLIENT), s.getSpec()));
                }
            }
        }));
        self[0] = run;
        RunSummary summary = run.execute();

        assertEquals(RunSummary.Status.COMPLETED, summary.status());
        // --fit-to-host on this host: the seed's 4, 1, 3 and 2.5 CPUs scaled to 90 % of its CPUs, memory as given.
        List<String> warnings = new ArrayList<>();
        Profile fitted = LimitCheck.fitted(seed, engine.capacity(), warnings);
        assertEquals(4, limits.size(), "each client ran as a task container: " + limits.keySet());
        for (int i = 0; i < 4; i++) {
            var device = fitted.devices().get(i);
            String id = "client" + (i + 1);
            assertEquals(Math.round(device.cpus() * 1e9), limits.get(id).getNanoCPUs(), id + " CPU limit");
            assertEquals(device.memory().bytes(), limits.get(id).getMemory(), id + " memory limit");
            assertEquals("host", limits.get(id).getNetworkMode(), id);
            TaskSpec task = services.get(id).getTaskTemplate();
            assertEquals(Math.round(device.cpus() * 1e9), task.getResources().getLimits().getNanoCPUs());
            ContainerSpec container = task.getContainerSpec();
            assertTrue(container.getImage().startsWith(REGISTRY + "/" + ClientImage.REPOSITORY + ":"),
                    "the nodes pull the client image from the registry: " + container.getImage());
        }
        assertTrue(RunServices.withLabels(engine.client(), Map.of(RunLabels.RUN, run.id())).isEmpty(),
                "the end of a run removes its services");
        assertTrue(RunServices.secretsWithLabels(engine.client(), Map.of(RunLabels.RUN, run.id())).isEmpty(),
                "and its launch secret");

        List<Double> inContainers = OURS.accuracies(seed, new RunSettings(runs.resolve("docker"), "127.0.0.1", 0,
                Duration.ofSeconds(120)).withDocker(new DockerSettings(DockerAvailable.IMAGE, true, DockerAvailable.JAR)));
        List<Double> inProcess = OURS.accuracies(fitted, new RunSettings(runs.resolve("local"), "127.0.0.1", 0,
                Duration.ofSeconds(120)));
        assertEquals(2, asServices.size());
        assertTrue(asServices.stream().allMatch(a -> a > 0 && a < 1), "accuracies were measured: " + asServices);
        assertEquals(inContainers, asServices, "the same seed trains the same models as services and as containers");
        assertEquals(inProcess, asServices, "and in-process");
    }

    @Test
    void anOomKilledTaskIsDetectedAndItsClientStartedAgainAtASmallerBatch(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("it.yaml", """
                rounds: 3
                devices:
                  - {name: fine,   cpus: 1, memory: 1g,   batch_size: 16,  learning_rate: 0.005}
                  - {name: greedy, cpus: 1, memory: 512m, batch_size: 512, learning_rate: 0.005}
                dataset: {name: synthetic, data_percentage: 1.0}
                model: {batchnorm_momentum: 0.9}
                strategy: {min_fit_clients: 1, min_available_clients: 1, round_timeout: 3m}
                """, ProfileOverrides.NONE);
        List<String> restarts = new ArrayList<>();
        FederatedRun run = OURS.started(new FederatedRun(profile, synthetic(profile, 1400), new RunSettings(runs, "127.0.0.1", 0,
                Duration.ofSeconds(180)).withDocker(new DockerSettings(DockerAvailable.IMAGE, false,
                DockerAvailable.JAR).withSwarm(new SwarmSettings(null, null))), new RunListener() {
            @Override
            public void clientRestarted(String clientId, int restart, int maxRestarts) {
                restarts.add(clientId + " " + restart + "/" + maxRestarts);
            }
        }));
        RunSummary summary = run.execute();

        assertEquals(RunSummary.Status.COMPLETED, summary.status());
        assertEquals("client2 1/2", restarts.get(0), "the OOM-killed service gets a new task");
        List<String> csv = Files.readAllLines(run.directory().path().resolve(RunDirectory.ROUNDS));
        assertTrue(csv.stream().anyMatch(r -> r.startsWith("1,client2,failed,oom")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(r -> r.matches("[23],client2,ok,,\\d+,(256|128),.*")),
                "the restarted client trains at a smaller batch:\n" + String.join("\n", csv));
        JsonNode greedy = new ObjectMapper().readTree(run.directory().path().resolve(RunDirectory.SUMMARY).toFile())
                .get("clients").get(1);
        assertEquals(restarts.size(), greedy.get("oom_restarts").asInt(), greedy.toString());
    }

    private static final Pattern RUN_STARTED = Pattern.compile("^run (\\S+): clients run as Docker Swarm services");

    @Test
    void stopRemovesTheServicesOfAKilledOrchestratorAndNothingElse(@TempDir Path runs) throws Exception {
        // Someone else's service on the same swarm, with no labels of ours: `stop` must leave it alone.
        String bystander = engine.client().createServiceCmd(new ServiceSpec().withName("it-bystander-" + System.nanoTime())
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(DockerAvailable.IMAGE)
                        .withCommand(List.of("sleep", "600"))))).exec().getId();
        try {
            List<String> command = new ArrayList<>(List.of("java", "-jar", DockerAvailable.JAR.toString(), "run",
                    "--runtime", "swarm", "--client-image", DockerAvailable.IMAGE, "--synthetic-examples", "400",
                    "--metrics-port", "0", "--no-monitoring", "--runs-dir", runs.toString(), "--profile",
                    "quickstart", "--dataset", "synthetic", "--rounds", "50"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("OMP_NUM_THREADS", "1"); // no relaunch: this process is the orchestrator
            Process orchestrator = builder.start();
            String runId = null;
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(orchestrator.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = RUN_STARTED.matcher(line);
                    if (m.find()) {
                        runId = m.group(1);
                        OURS.add(runId);
                    }
                    if (line.startsWith("client client2") && line.contains("registered")) {
                        orchestrator.destroyForcibly(); // SIGKILL: no shutdown hook runs
                        break;
                    }
                }
            }
            assertTrue(orchestrator.waitFor(30, TimeUnit.SECONDS));
            assertNotNull(runId, output.toString());
            Map<String, String> labels = Map.of(RunLabels.RUN, runId);
            assertEquals(2, RunServices.withLabels(engine.client(), labels).size(),
                    "a SIGKILLed orchestrator leaves its services: " + output);

            assertEquals(0, Main.execute("stop", runId));
            assertTrue(RunServices.withLabels(engine.client(), labels).isEmpty(), "its services are gone");
            assertTrue(RunServices.secretsWithLabels(engine.client(), labels).isEmpty(), "its secret is gone");
            awaitNoContainers(labels);
            assertEquals(bystander, engine.client().inspectServiceCmd(bystander).exec().getId(),
                    "a service that is not the run's stays");
        } finally {
            engine.client().removeServiceCmd(bystander).exec();
        }
    }

    @Test
    void anExportedStackDeploysOnTheSwarmAndCompletesItsRunWithItsLimits(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("quickstart");
        int metrics;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metrics = s.getLocalPort();
        }
        assertEquals(0, Main.execute("export", "compose", "--profile", "quickstart", "--output", out.toString(),
                "--jar", DockerAvailable.JAR.toAbsolutePath().toString(), "--client-image", DockerAvailable.IMAGE,
                "--dataset", "synthetic", "--synthetic-examples", "400", "--rounds", "2", "--metrics-port",
                Integer.toString(metrics), "--no-monitoring"));
        String stack = "flheterostack" + ProcessHandle.current().pid();
        try {
            docker(out, "stack", "deploy", "--resolve-image", "never", "-c", "docker-stack.yml", stack);
            Path summary = out.resolve("runs/stack-it").resolve(RunDirectory.SUMMARY);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            JsonNode json = null;
            while (System.nanoTime() < deadline) {
                json = Files.exists(summary) ? new ObjectMapper().readTree(summary.toFile()) : null;
                if (json != null && !json.get("status").asText().equals("running")) {
                    break;
                }
                Thread.sleep(1_000);
            }
            assertNotNull(json, "the stack's server wrote no summary: " + docker(out, "stack", "ps", "--no-trunc", stack));
            assertEquals("completed", json.get("status").asText(), json.toString());
            assertEquals(2, json.get("rounds_completed").asInt());
            Container weak = ClientContainers.withLabels(engine.client(),
                    Map.of("com.docker.swarm.service.name", stack + "_client2")).get(0);
            HostConfig limits = engine.client().inspectContainerCmd(weak.getId()).exec().getHostConfig();
            assertEquals(500_000_000L, limits.getNanoCPUs(), "quickstart's weak device: 0.5 CPU");
            assertEquals(1L << 30, limits.getMemory());
            assertEquals("host", limits.getNetworkMode());
        } finally {
            removeStack(out, stack);
        }
    }

    /** The stack's services, then (once Swarm has taken their containers) the volumes it made. */
    private static void removeStack(Path dir, String stack) throws Exception {
        docker(dir, "stack", "rm", stack);
        Map<String, String> ours = Map.of("com.docker.stack.namespace", stack);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ClientContainers.withLabels(engine.client(), ours).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        for (var volume : engine.client().listVolumesCmd().withFilter("label", List.of("com.docker.stack.namespace="
                + stack)).exec().getVolumes()) {
            engine.client().removeVolumeCmd(volume.getName()).exec();
        }
    }

    /** The docker command line, in {@code dir}, with the stack's run id; its output. */
    private static String docker(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("docker-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("FL_HETERO_RUN_ID", "stack-it");
            Process p = builder.start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            String output = Files.readString(log);
            assertEquals(0, p.isAlive() ? -1 : p.exitValue(), String.join(" ", command) + ":\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Swarm removes a removed service's containers in the background. */
    private static void awaitNoContainers(Map<String, String> labels) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ClientContainers.withLabels(engine.client(), labels).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertTrue(ClientContainers.withLabels(engine.client(), labels).isEmpty(), "and its containers");
    }
}
