package io.flhetero.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileReaderTest {

    private static final String DEVICE = "devices:\n  - {name: d, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01}\n";

    @Test
    void readsAMinimalProfileWithTheOriginalsDefaults() {
        Profile p = ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE);
        assertEquals("t", p.name());
        assertEquals(2, p.clients());
        assertEquals(100, p.rounds());
        assertEquals(0.6, p.dataset().dataPercentage());
        assertEquals(0.2, p.dataset().testSplit());
        assertEquals("iid", p.dataset().partition());
        assertEquals(0.1, p.model().alpha());
        assertEquals(Duration.ofMinutes(10), p.strategy().roundTimeout());
        DeviceClass d = p.devices().get(0);
        assertEquals(1L << 30, d.memory().bytes());
        assertEquals(1, d.localEpochs());
    }

    static Stream<Arguments> brokenProfiles() {
        return Stream.of(
                Arguments.of("unknown key", DEVICE + "roundz: 3\n", "roundz", "unknown key", "did you mean 'rounds'"),
                Arguments.of("unknown device key", "devices:\n  - {name: d, cpus: 1, memory: 1g, bach_size: 32, "
                        + "batch_size: 3, learning_rate: 0.1}\n", "devices[0].bach_size", "unknown key", "batch_size"),
                Arguments.of("cpus zero", DEVICE.replace("cpus: 1", "cpus: 0"), "devices[0].cpus",
                        "must be at least 0.01", "CPU share"),
                Arguments.of("cpus negative", DEVICE.replace("cpus: 1", "cpus: -2"), "devices[0].cpus",
                        "must be at least 0.01", "CPU share"),
                Arguments.of("cpus denormal", DEVICE.replace("cpus: 1", "cpus: 1e-320"), "devices[0].cpus",
                        "must be at least 0.01", "CPU share"),
                Arguments.of("cpus infinite", DEVICE.replace("cpus: 1", "cpus: Infinity"), "devices[0].cpus",
                        "must be a finite number", "CPU share"),
                Arguments.of("cpus .inf", DEVICE.replace("cpus: 1", "cpus: .inf"), "(file)",
                        "Malformed numeric value '.inf'", "plain finite number"),
                Arguments.of("cpus .nan", DEVICE.replace("cpus: 1", "cpus: .nan"), "(file)",
                        "Malformed numeric value '.nan'", "plain finite number"),
                Arguments.of("lr NaN text", DEVICE.replace("learning_rate: 0.01", "learning_rate: NaN"),
                        "devices[0].learning_rate", "must be a finite number", "learning rate"),
                Arguments.of("batch past int, quoted", DEVICE.replace("batch_size: 32", "batch_size: '9999999999'"),
                        "devices[0].batch_size", "must be at most 2147483647, got 9999999999", "batch size"),
                Arguments.of("batch past int, wrapping to 1", DEVICE.replace("batch_size: 32", "batch_size: 4294967297"),
                        "devices[0].batch_size", "must be at most 2147483647, got 4294967297", "batch size"),
                Arguments.of("rounds past long", DEVICE + "rounds: 99999999999999999999999\n", "rounds",
                        "must be at most 2147483647", "rounds"),
                Arguments.of("memory beyond any device", DEVICE.replace("memory: 1g", "memory: 99999999t"),
                        "devices[0].memory", "'99999999t' is more than 1 PiB", "512m or 3g"),
                Arguments.of("timeout beyond a year", DEVICE + "strategy: {round_timeout: 9999999h}\n",
                        "strategy.round_timeout", "'9999999h' is longer than a year", "90s or 10m"),
                Arguments.of("duplicate key", DEVICE + "rounds: 3\nrounds: 5\n", "(file)",
                        "Duplicate field 'rounds'", "give each key once"),
                Arguments.of("cpus text", DEVICE.replace("cpus: 1", "cpus: lots"), "devices[0].cpus",
                        "must be a number", "CPU share"),
                Arguments.of("cpus with Java's double suffix", DEVICE.replace("cpus: 1", "cpus: '2d'"),
                        "devices[0].cpus", "must be a number", "CPU share"),
                Arguments.of("memory unparsable", DEVICE.replace("memory: 1g", "memory: 3 gigs"), "devices[0].memory",
                        "'3 gigs' is not a memory size", "512m or 3g"),
                Arguments.of("memory missing", DEVICE.replace("memory: 1g, ", ""), "devices[0].memory",
                        "is required", "512m or 3g"),
                Arguments.of("batch zero", DEVICE.replace("batch_size: 32", "batch_size: 0"), "devices[0].batch_size",
                        "must be at least 1", "batch size"),
                Arguments.of("batch fractional", DEVICE.replace("batch_size: 32", "batch_size: 3.5"),
                        "devices[0].batch_size", "must be a whole number", "batch size"),
                Arguments.of("lr zero", DEVICE.replace("learning_rate: 0.01", "learning_rate: 0"),
                        "devices[0].learning_rate", "must be greater than 0", "positive learning rate"),
                Arguments.of("empty mix", "devices: []\n", "devices", "the device mix is empty", "at least one"),
                Arguments.of("no mix", "rounds: 3\n", "devices", "the device mix is empty", "at least one"),
                Arguments.of("data percentage zero", DEVICE + "dataset: {data_percentage: 0}\n",
                        "dataset.data_percentage", "must be in (0, 1]", "e.g. 0.6"),
                Arguments.of("data percentage above one", DEVICE + "dataset: {data_percentage: 1.5}\n",
                        "dataset.data_percentage", "must be in (0, 1]", "e.g. 0.6"),
                Arguments.of("bad partition", DEVICE + "dataset: {partition: shards}\n", "dataset.partition",
                        "is not a partitioning", "dirichlet(0.5)"),
                Arguments.of("bad dataset", DEVICE + "dataset: {name: imagenet}\n", "dataset.name",
                        "'imagenet' is not one of cifar10, fashion-mnist, mnist, synthetic", "use one of"),
                Arguments.of("misspelt dataset", DEVICE + "dataset: {name: fashion_mnist}\n", "dataset.name",
                        "'fashion_mnist' is not one of cifar10, fashion-mnist, mnist, synthetic",
                        "did you mean 'fashion-mnist'?"),
                Arguments.of("rounds zero", DEVICE + "rounds: 0\n", "rounds", "must be at least 1", "rounds"),
                Arguments.of("bad timeout", DEVICE + "strategy: {round_timeout: soon}\n", "strategy.round_timeout",
                        "'soon' is not a duration", "90s or 10m"),
                Arguments.of("bad deadline", DEVICE + "strategy: {deadline: soon}\n", "strategy.deadline",
                        "'soon' is not a deadline", "p50*1.5"),
                Arguments.of("negative over-selection", DEVICE + "strategy: {over_selection: -1}\n",
                        "strategy.over_selection", "must be at least 0", "on top of those needed"),
                Arguments.of("fraction_evaluate above 1", DEVICE + "strategy: {fraction_evaluate: 1.5}\n",
                        "strategy.fraction_evaluate", "must be in (0, 1]", "share of clients asked to evaluate"),
                Arguments.of("a sampled evaluation with fedbuff", DEVICE + "strategy: {name: fedbuff, "
                        + "fraction_evaluate: 0.5}\n", "strategy.fraction_evaluate", "does not apply to fedbuff",
                        "evaluate_every"),
                Arguments.of("negative mu", DEVICE + "strategy: {name: fedprox, proximal_mu: -0.1}\n",
                        "strategy.proximal_mu", "must be in [0, 10]", "FedProx's mu"),
                Arguments.of("unknown strategy", DEVICE + "strategy: {name: scaffold}\n", "strategy.name",
                        "'scaffold' is not one of fedavg, fedbuff, fednova, fedprox", "use one of"),
                Arguments.of("bad network", DEVICE + "network: overlay\n", "network", "'overlay' is not one of bridge, host",
                        "use one of"),
                Arguments.of("bad policy", DEVICE + "policy: greedy\n", "policy", "'greedy' is not one of capacity, static",
                        "use one of"),
                Arguments.of("min fit above clients", DEVICE + "clients: 2\nstrategy: {min_fit_clients: 3}\n",
                        "strategy.min_fit_clients", "only 2 clients", "lower min_fit_clients"),
                Arguments.of("counts disagree", "clients: 5\ndevices:\n  - {name: d, cpus: 1, memory: 1g, "
                        + "batch_size: 3, learning_rate: 0.1, count: 2}\n", "clients", "add up to 2", "leave 'clients' out"),
                Arguments.of("not yaml", "devices: [\n", "(file)", "is not valid YAML", "YAML syntax"),
                Arguments.of("duplicate class", DEVICE + "  - {name: d, cpus: 2, memory: 2g, batch_size: 3, "
                        + "learning_rate: 0.1}\n", "devices[1].name", "used by an earlier", "its own name"),
                Arguments.of("placement misspelt", placed("[]").replace("placement", "placment"),
                        "devices[0].placment", "unknown key", "did you mean 'placement'"),
                Arguments.of("placement bad operator", placed("['node.role == worker', 'node.labels.device = pi4']"),
                        "devices[0].placement[1]", "'node.labels.device = pi4' (device class 'd') needs one == or != "
                                + "between attribute and value", "e.g. node.labels.device == pi4"),
                Arguments.of("placement two operators", placed("['node.labels.device === pi4']"),
                        "devices[0].placement[0]", "needs one == or !=", "ATTRIBUTE == VALUE or ATTRIBUTE != VALUE"),
                Arguments.of("placement unknown attribute", placed("['node.rol == manager']"),
                        "devices[0].placement[0]", "'node.rol == manager' (device class 'd'): 'node.rol' is not a "
                                + "Swarm node attribute", "node.platform.arch, node.labels.NAME, engine.labels.NAME"),
                Arguments.of("placement label without a name", placed("'node.labels. == x'"), "devices[0].placement",
                        "'node.labels.' is not a Swarm node attribute", "node.labels.NAME"),
                Arguments.of("placement no attribute", placed("['!= manager']"), "devices[0].placement[0]",
                        "has no attribute before !=", "e.g. node.labels.device == pi4"),
                Arguments.of("placement bad role", placed("['node.role == leader']"), "devices[0].placement[0]",
                        "'node.role == leader' (device class 'd'): node.role is manager or worker, not 'leader'",
                        "node.role != manager"),
                Arguments.of("placement empty value", placed("['node.labels.device ==  ']"), "devices[0].placement[0]",
                        "'node.labels.device ==' (device class 'd') has no value after ==",
                        "e.g. node.labels.device == pi4"),
                Arguments.of("placement as a mapping item", placed("[{node.role: worker}]"), "devices[0].placement[0]",
                        "must be a constraint string, got a mapping (device class 'd')", "ATTRIBUTE == VALUE"),
                Arguments.of("placement as a mapping", placed("{node.role: worker}"), "devices[0].placement",
                        "must be a list of constraints, got a mapping", "ATTRIBUTE == VALUE"));
    }

    /** {@link #DEVICE} with a placement key. */
    private static String placed(String placement) {
        return DEVICE.replace("learning_rate: 0.01}", "learning_rate: 0.01, placement: " + placement + "}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenProfiles")
    void rejectsBrokenProfilesNamingFileFieldAndFix(String why, String yaml, String field, String message, String fix) {
        ProfileException e = assertThrows(ProfileException.class,
                () -> ProfileReader.parse("profiles/broken.yaml", yaml, ProfileOverrides.NONE));
        Problem p = e.problems().stream().filter(x -> x.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + field + " in: " + e.getMessage()));
        assertEquals("profiles/broken.yaml", p.source());
        assertTrue(p.message().contains(message), p.message());
        assertTrue(p.fix().contains(fix), p.fix());
        assertTrue(e.getMessage().startsWith("profiles/broken.yaml: "), e.getMessage());
    }

    @Test
    void refusesTheWrongFileBeforeParsingIt(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "rounds: 3 #" + "x".repeat(2_000_000) + "\n" + DEVICE);
        long start = System.nanoTime();
        assertFileProblem(huge, "more than a profile may be", "a few KB");
        assertTrue(System.nanoTime() - start < 2e9, "refused by its size, not after parsing it");

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, ("name: caf\u00e9\n" + DEVICE).getBytes(StandardCharsets.ISO_8859_1));
        assertFileProblem(latin1, "is not UTF-8 text", "save it as UTF-8");

        assertFileProblem(dir.resolve("missing.yaml"), "does not exist", "check the path");
    }

    private static void assertFileProblem(Path file, String message, String fix) {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.read(file));
        Problem p = e.problems().get(0);
        assertEquals(file.toString(), p.source());
        assertEquals("(file)", p.field());
        assertTrue(p.message().contains(message), p.message());
        assertTrue(p.fix().contains(fix), p.fix());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String yaml = "roundz: 1\ndevices:\n  - {name: a, cpus: -1, memory: x, batch_size: 0, learning_rate: -1}\n"
                + "dataset: {data_percentage: 2}\n";
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("p.yaml", yaml,
                ProfileOverrides.NONE));
        List<String> fields = e.problems().stream().map(Problem::field).toList();
        assertEquals(List.of("roundz", "devices[0].cpus", "devices[0].memory", "devices[0].batch_size",
                "devices[0].learning_rate", "dataset.data_percentage"), fields);
    }

    @Test
    void commandLineOverridesWinAndAreBlamedByOption() {
        Profile p = ProfileReader.parse("t.yaml", DEVICE + "rounds: 50\n",
                new ProfileOverrides(3, 4, 0.25, "synthetic"));
        assertEquals(3, p.rounds());
        assertEquals(4, p.clients());
        assertEquals(0.25, p.dataset().dataPercentage());
        assertTrue(p.dataset().synthetic());

        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("t.yaml", DEVICE,
                new ProfileOverrides(0, null, null, null)));
        assertEquals("command line", e.problems().get(0).source());
        assertEquals("--rounds", e.problems().get(0).field());
    }

    @Test
    void readsTheHeterogeneityKeysWithTheirDefaults() {
        StrategySpec plain = ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE).strategy();
        assertEquals(0, plain.overSelection());
        assertEquals(0.0, plain.proximalMu());
        assertEquals(StrategySpec.DEFAULT_OOM_RESTARTS, plain.oomRestarts());
        StrategySpec prox = ProfileReader.parse("t.yaml", DEVICE + "strategy: {name: fedprox, over_selection: 1, "
                + "oom_restarts: 0}\n", ProfileOverrides.NONE).strategy();
        assertEquals(StrategySpec.DEFAULT_FEDPROX_MU, prox.proximalMu(), "fedprox brings its default mu");
        assertEquals(1, prox.overSelection());
        assertEquals(0, prox.oomRestarts());
        Profile written = ProfileReader.parse("again.yaml", ProfileWriter.toYaml(ProfileReader.parse("t.yaml", DEVICE
                + "strategy: {name: fednova, proximal_mu: 0.05, over_selection: 2}\n", ProfileOverrides.NONE)),
                ProfileOverrides.NONE);
        assertEquals(0.05, written.strategy().proximalMu(), "the run's profile.yaml keeps the keys");
        assertEquals(2, written.strategy().overSelection());
        StrategySpec sampled = ProfileReader.parse("again.yaml", ProfileWriter.toYaml(ProfileReader.parse("t.yaml",
                DEVICE + "strategy: {fraction_evaluate: 0.25, min_evaluate_clients: 1}\n", ProfileOverrides.NONE)),
                ProfileOverrides.NONE).strategy();
        assertEquals(0.25, sampled.fractionEvaluate());
        assertEquals(1, sampled.minEvaluateClients());
        assertEquals(1.0, plain.fractionEvaluate(), "everyone evaluates unless told");
    }

    @Test
    void acceptsEveryKnownDataSetInTheProfileAndOnTheCommandLine() {
        for (String name : List.of("cifar10", "fashion-mnist", "mnist", "synthetic")) {
            Profile p = ProfileReader.parse("t.yaml", DEVICE + "dataset: {name: " + name + "}\n", ProfileOverrides.NONE);
            assertEquals(name, p.dataset().name());
            assertEquals(name, ProfileReader.parse("again.yaml", ProfileWriter.toYaml(p), ProfileOverrides.NONE)
                    .dataset().name(), "the run directory's profile keeps it");
        }
        assertEquals("mnist", ProfileReader.parse("t.yaml", DEVICE, new ProfileOverrides(null, null, null, "mnist"))
                .dataset().name());
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("t.yaml", DEVICE,
                new ProfileOverrides(null, null, null, "fmnist")));
        assertEquals("--dataset", e.problems().get(0).field());
    }

    @Test
    void fedBuffHasItsBufferSettingsWithDefaultsAndTheSynchronousStrategiesRefuseThem() {
        Profile p = ProfileReader.parse("t.yaml", DEVICE + "clients: 8\nstrategy: {name: fedbuff, max_staleness: 5}\n",
                ProfileOverrides.NONE);
        BufferSpec buffer = p.strategy().buffer();
        assertEquals(StrategyName.FEDBUFF, p.strategy().name());
        assertEquals(8, buffer.concurrency(), "all clients train at once by default");
        assertEquals(4, buffer.bufferSize(), "half of them make a version");
        assertEquals(5, buffer.maxStaleness());
        assertEquals("sqrt", buffer.stalenessWeighting().toString());
        assertTrue(buffer.frequencyCorrection(), "frequent clients count no more by default");
        assertEquals(buffer, ProfileReader.parse("t.yaml", ProfileWriter.toYaml(p), ProfileOverrides.NONE).strategy()
                .buffer(), "the run directory's profile keeps them");
        assertNull(ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE).strategy().buffer());

        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("t.yaml", DEVICE
                + "strategy: {name: fedavg, buffer_size: 3, staleness_weighting: exp}\n", ProfileOverrides.NONE));
        ProfileException correction = assertThrows(ProfileException.class, () -> ProfileReader.parse("t.yaml", DEVICE
                + "strategy: {name: fedbuff, frequency_correction: count}\n", ProfileOverrides.NONE));
        assertTrue(correction.getMessage().contains("strategy.frequency_correction: 'count' is not a frequency "
                + "correction"), correction.getMessage());
        assertFalse(ProfileReader.parse("t.yaml", DEVICE + "strategy: {name: fedbuff, frequency_correction: none}\n",
                ProfileOverrides.NONE).strategy().buffer().frequencyCorrection());
        assertTrue(e.getMessage().contains("strategy.buffer_size: is a setting of strategy fedbuff, not of fedavg"),
                e.getMessage());
        assertTrue(e.getMessage().contains("strategy.staleness_weighting: 'exp' is not a staleness weighting"),
                e.getMessage());
    }

    @Test
    void aDeviceClassMayHaveANetworkLinkBothWaysOrDownAndUpApart() {
        String phones = "devices:\n  - {name: p, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01,"
                + " link: {down: 20mbit, up: 512kbit, latency: 80ms}}\n"
                + "  - {name: q, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01, link: {bandwidth: 1gbit}}\n";
        Profile p = ProfileReader.parse("t.yaml", phones, ProfileOverrides.NONE);
        LinkSpec link = p.devices().get(0).link();
        assertEquals(new LinkSpec(20_000_000, 512_000, Duration.ofMillis(80)), link);
        assertEquals(0.08 + 1_000_000 * 8.0 / 512_000, link.seconds(1_000_000, true), 1e-9, "latency + bytes / rate");
        assertEquals(new LinkSpec(1_000_000_000, 1_000_000_000, Duration.ZERO), p.devices().get(1).link());
        assertEquals(p.devices(), ProfileReader.parse("t.yaml", ProfileWriter.toYaml(p), ProfileOverrides.NONE)
                .devices(), "the run directory's profile keeps them");
        assertTrue(ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE).devices().get(0).link().unlimited());

        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("t.yaml", "devices:\n"
                + "  - {name: p, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01, link: "
                + "{bandwidth: 20mbps, down: 1mbit, latncy: 5ms}}\n", ProfileOverrides.NONE));
        assertTrue(e.getMessage().contains("devices[0].link.bandwidth: '20mbps' is not a rate"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. 512kbit, 20mbit or 1gbit"), e.getMessage());
        assertTrue(e.getMessage().contains("devices[0].link.latncy: unknown key"), e.getMessage());
    }

    @Test
    void aDeviceClassMayComeAndGoByAModelOrATrace(@TempDir Path dir) throws Exception {
        String phones = "devices:\n  - {name: p, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01,"
                + " availability: {online: 0.6, session: 3m}}\n";
        Profile p = ProfileReader.parse("t.yaml", phones, ProfileOverrides.NONE);
        AvailabilitySpec a = p.devices().get(0).availability();
        assertEquals(0.6, a.online());
        assertEquals(Duration.ofMinutes(3), a.session());
        assertEquals(a, ProfileReader.parse("t.yaml", ProfileWriter.toYaml(p), ProfileOverrides.NONE).devices().get(0)
                .availability(), "the run directory's profile keeps it");
        assertTrue(ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE).devices().get(0).availability().always());

        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("t.yaml", "devices:\n"
                + "  - {name: p, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01, availability: "
                + "{online: 1.5, trace: " + dir.resolve("none.csv") + ", sesion: 3m}}\n", ProfileOverrides.NONE));
        assertTrue(e.getMessage().contains("devices[0].availability.online: must be in (0, 1]"), e.getMessage());
        assertTrue(e.getMessage().contains("devices[0].availability.trace: '"), e.getMessage());
        assertTrue(e.getMessage().contains("devices[0].availability.sesion: unknown key"), e.getMessage());
    }

    @Test
    void aDeviceClassMayBePlacedOnSwarmNodesByAListOrOneConstraint() {
        String pis = "devices:\n"
                + "  - {name: pi, cpus: 1, memory: 1g, batch_size: 32, learning_rate: 0.01,\n"
                + "     placement: ['node.labels.device == pi4', 'node.role!=manager']}\n"
                + "  - name: edge\n    cpus: 2\n    memory: 2g\n    batch_size: 32\n    learning_rate: 0.01\n"
                + "    placement: engine.labels.gpu == none\n";
        Profile p = ProfileReader.parse("t.yaml", pis, ProfileOverrides.NONE);
        assertEquals(List.of("node.labels.device == pi4", "node.role!=manager"), p.devices().get(0).placement());
        assertEquals(List.of("engine.labels.gpu == none"), p.devices().get(1).placement(), "one string, one entry");
        assertEquals(p.devices(), ProfileReader.parse("t.yaml", ProfileWriter.toYaml(p), ProfileOverrides.NONE)
                .devices(), "the run directory's profile keeps them");
        assertEquals(p.devices().get(0).placement(), p.devices().get(0).withLimits(0.5, MemorySize.parse("512m"))
                .withAvailability(AvailabilitySpec.ALWAYS).placement());

        Profile anywhere = ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE);
        assertEquals(List.of(), anywhere.devices().get(0).placement());
        assertFalse(ProfileWriter.toYaml(anywhere).contains("placement"), "written only when given");
        assertEquals(List.of("devices[0].placement[0] was node.labels.device == pi4, here (none)"),
                ProfileDifference.between(ProfileReader.parse("t.yaml", placed("['node.labels.device == pi4']"),
                        ProfileOverrides.NONE), anywhere));

        List<String> given = new ArrayList<>(List.of("node.role == worker"));
        DeviceClass d = new DeviceClass("d", 1, MemorySize.parse("1g"), 32, 0.01, 1, 0, AvailabilitySpec.ALWAYS,
                LinkSpec.UNLIMITED, given);
        given.clear();
        assertEquals(List.of("node.role == worker"), d.placement(), "a copy, not the caller's list");
        assertEquals(List.of(), new DeviceClass("d", 1, MemorySize.parse("1g"), 32, 0.01, 1, 0,
                AvailabilitySpec.ALWAYS, LinkSpec.UNLIMITED, null).placement());

        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.parse("profiles/pis.yaml",
                placed("['node.labels.device = pi4']"), ProfileOverrides.NONE));
        assertEquals("profiles/pis.yaml: devices[0].placement[0]: 'node.labels.device = pi4' (device class 'd') "
                + "needs one == or != between attribute and value. Fix: write ATTRIBUTE == VALUE or ATTRIBUTE != "
                + "VALUE, e.g. node.labels.device == pi4, with ATTRIBUTE one of node.id, node.hostname, node.role, "
                + "node.platform.os, node.platform.arch, node.labels.NAME, engine.labels.NAME", e.getMessage());
    }

    @Test
    void clientContainersUseTheHostsNetworkUnlessTheProfileAsksForABridge() {
        assertEquals(NetworkMode.HOST, ProfileReader.parse("t.yaml", DEVICE, ProfileOverrides.NONE).network());
        Profile bridged = ProfileReader.parse("t.yaml", DEVICE + "network: bridge\n", ProfileOverrides.NONE);
        assertEquals(NetworkMode.BRIDGE, bridged.network());
        assertEquals(NetworkMode.BRIDGE, ProfileReader.parse("t.yaml", ProfileWriter.toYaml(bridged), ProfileOverrides.NONE)
                .network(), "the run directory's profile keeps it");
    }

    @Test
    void parsesDockerMemorySizes() {
        assertEquals(512L << 20, MemorySize.parse("512m").bytes());
        assertEquals(3L << 30, MemorySize.parse("3g").bytes());
        assertEquals(3L << 30, MemorySize.parse("3GiB").bytes());
        assertEquals(1536L << 20, MemorySize.parse("1.5g").bytes());
        assertEquals(1000, MemorySize.parse("1000").bytes());
        assertEquals("1536m", MemorySize.parse("1.5g").toString());
        assertThrows(IllegalArgumentException.class, () -> MemorySize.parse("-1g"));
        assertThrows(IllegalArgumentException.class, () -> MemorySize.parse("0m"));
    }
}
