package io.flhetero.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flhetero.data.KnownDataset;
import io.flhetero.data.Partitioners;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates profile YAML. Every problem in a file is collected and reported together, each with
 * its file, field and fix. Defaults follow the original example: 2 clients, 100 rounds, data 0.6.
 */
public final class ProfileReader {

    /** A key given twice is an error, not a silent choice of the last value. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "clients", "rounds", "assignment",
            "seed", "policy", "devices", "dataset", "model", "strategy", "network");
    private static final Set<String> DEVICE_KEYS = Set.of("name", "cpus", "memory", "batch_size", "learning_rate",
            "local_epochs", "count");
    private static final Set<String> DATASET_KEYS = Set.of("name", "partition", "data_percentage", "test_split",
            "seed");
    private static final Set<String> MODEL_KEYS = Set.of("name", "alpha", "batchnorm_momentum");
    private static final Set<String> STRATEGY_KEYS = Set.of("name", "fraction_fit", "min_fit_clients",
            "min_available_clients", "round_timeout", "deadline", "over_selection", "proximal_mu", "oom_restarts");

    static final int DEFAULT_CLIENTS = 2;
    static final double MIN_CPUS = 0.01;
    static final int DEFAULT_ROUNDS = 100;
    static final double DEFAULT_DATA_PERCENTAGE = 0.6;
    static final Duration DEFAULT_ROUND_TIMEOUT = Duration.ofMinutes(10);

    private ProfileReader() {
    }

    public static Profile read(Path file) {
        return read(file, ProfileOverrides.NONE);
    }

    public static Profile read(Path file, ProfileOverrides overrides) {
        return parse(file.toString(), readText(file), overrides);
    }

    /** Profiles are a few KB; anything past this is the wrong file, refused before it is read or parsed. */
    static final long MAX_FILE_BYTES = 1L << 20;

    /** A profile file's text: refused, with one clear problem, when it is missing, huge, unreadable or not UTF-8. */
    static String readText(Path file) {
        String source = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw single(source, "(file)", String.format(Locale.ROOT, "is %,d bytes, more than a profile may "
                        + "be (%,d)", size, MAX_FILE_BYTES), "give a profile's YAML file; they are a few KB");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw single(source, "(file)", "does not exist", "check the path; `fl-hetero profiles list` shows the "
                    + "shipped profiles");
        } catch (CharacterCodingException e) {
            throw single(source, "(file)", "is not UTF-8 text", "save it as UTF-8 text (a profile is YAML)");
        } catch (IOException e) {
            throw single(source, "(file)", "cannot be read: " + e.getMessage(),
                    "check the path and the file's permissions");
        }
    }

    /** Parses profile text; {@code source} names it in messages. */
    public static Profile parse(String source, String yaml, ProfileOverrides overrides) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            String problem = e.getOriginalMessage();
            String fix = problem.startsWith("Duplicate field") ? "give each key once: remove or rename one of the two"
                    : problem.startsWith("Malformed numeric value") ? "write a plain finite number, e.g. 0.5 or 32"
                    : "fix the YAML syntax (indentation, ':' after each key)";
            throw single(source, "(file)", "is not valid YAML" + where + ": " + problem, fix);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw single(source, "(file)", "is empty", "start from profiles/default.yaml");
        }
        if (!root.isObject()) {
            throw single(source, "(file)", "must be a mapping of keys to values", "start from profiles/default.yaml");
        }
        Map<String, String> overridden = applyOverrides((ObjectNode) root, overrides);
        ProfileFields f = new ProfileFields(source, overridden);
        Profile profile = build(root, source, f);
        if (!f.problems().isEmpty()) {
            throw new ProfileException(f.problems());
        }
        return profile;
    }

    private static Map<String, String> applyOverrides(ObjectNode root, ProfileOverrides o) {
        Map<String, String> overridden = new HashMap<>();
        if (o.rounds() != null) {
            root.put("rounds", o.rounds());
            overridden.put("rounds", "--rounds");
        }
        if (o.clients() != null) {
            root.put("clients", o.clients());
            overridden.put("clients", "--clients");
        }
        if (o.dataPercentage() != null || o.dataset() != null) {
            ObjectNode dataset = root.get("dataset") instanceof ObjectNode d ? d : root.putObject("dataset");
            if (o.dataPercentage() != null) {
                dataset.put("data_percentage", o.dataPercentage());
                overridden.put("dataset.data_percentage", "--data-percentage");
            }
            if (o.dataset() != null) {
                dataset.put("name", o.dataset());
                overridden.put("dataset.name", "--dataset");
            }
        }
        return overridden;
    }

    private static Profile build(JsonNode root, String source, ProfileFields f) {
        f.rejectUnknownKeys(root, "", TOP_KEYS);
        String name = f.text(root, "", "name", defaultName(source), "");
        String description = f.text(root, "", "description", "", "");
        Integer rounds = f.integer(root, "", "rounds", DEFAULT_ROUNDS, 1, "give a number of rounds of 1 or more");
        long seed = f.integer(root, "", "seed", 42, Integer.MIN_VALUE, "give a whole number");
        List<DeviceClass> devices = devices(root.get("devices"), f);
        Assignment assignment = assignment(root, devices, f);
        int clients = clients(root, devices, assignment, f);
        String policy = f.choice(root, "", "policy", "static", Set.of("static", "capacity"));
        DatasetSpec dataset = dataset(root.get("dataset"), f);
        ModelSpec model = model(root.get("model"), f);
        StrategySpec strategy = strategy(root.get("strategy"), clients, f);
        String network = f.choice(root, "", "network", Profile.HOST_NETWORK,
                Set.of(Profile.HOST_NETWORK, Profile.BRIDGE_NETWORK));
        return new Profile(name, description, source, clients, rounds, assignment, seed, policy, devices, dataset, model,
                strategy, network);
    }

    private static List<DeviceClass> devices(JsonNode node, ProfileFields f) {
        List<DeviceClass> devices = new ArrayList<>();
        if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
            f.problem("devices", "the device mix is empty",
                    "list at least one device class with name, cpus, memory, batch_size and learning_rate");
            return devices;
        }
        if (!node.isArray()) {
            f.problem("devices", "must be a list of device classes", "write each device class as a '- name: ...' item");
            return devices;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "devices[" + i + "]";
            JsonNode d = node.get(i);
            if (!f.isObject(d, path)) {
                if (d == null || d.isNull()) {
                    f.problem(path, "is empty", "give name, cpus, memory, batch_size and learning_rate");
                }
                continue;
            }
            f.rejectUnknownKeys(d, path, DEVICE_KEYS);
            String name = f.text(d, path, "name", "device" + (i + 1), "");
            if (!names.add(name)) {
                f.problem(path + ".name", "'" + name + "' is used by an earlier device class", "give each class its own name");
            }
            Double cpus = f.number(d, path, "cpus", null, v -> v >= MIN_CPUS, "must be at least " + MIN_CPUS
                    + " (Docker's smallest CPU share)", "give the device's CPU share, e.g. 0.5 or 2");
            MemorySize memory = f.memory(d, path, "memory", "write a size such as 512m or 3g");
            Integer batch = f.integer(d, path, "batch_size", null, 1, "give a batch size of 1 or more, e.g. 32");
            Double lr = f.number(d, path, "learning_rate", null, v -> v > 0, "must be greater than 0",
                    "give a positive learning rate, e.g. 0.001");
            Integer epochs = f.integer(d, path, "local_epochs", 1, 1, "give 1 or more local epochs");
            Integer count = f.integer(d, path, "count", 0, 1, "give 1 or more clients of this class, or leave count out");
            if (cpus != null && memory != null && batch != null && lr != null) {
                devices.add(new DeviceClass(name, cpus, memory, batch, lr, epochs, count));
            }
        }
        return devices;
    }

    private static Assignment assignment(JsonNode root, List<DeviceClass> devices, ProfileFields f) {
        long counted = devices.stream().filter(d -> d.count() > 0).count();
        if (counted > 0 && counted < devices.size()) {
            f.problem("devices", "some device classes give a count and others do not",
                    "give every class a count, or none (then 'assignment' decides)");
        }
        String key = f.choice(root, "", "assignment", counted > 0 ? "counted" : "round-robin",
                Set.of("round-robin", "random", "counted"));
        if ("counted".equals(key) && counted == 0 && !devices.isEmpty()) {
            f.problem("assignment", "'counted' needs a count on every device class", "add 'count: N' to each class");
        }
        if (counted > 0 && !"counted".equals(key)) {
            f.problem("assignment", "device classes give counts, so assignment must be 'counted'",
                    "remove 'assignment' or the counts");
        }
        return switch (key == null ? "round-robin" : key) {
            case "random" -> Assignment.RANDOM;
            case "counted" -> Assignment.COUNTED;
            default -> Assignment.ROUND_ROBIN;
        };
    }

    private static int clients(JsonNode root, List<DeviceClass> devices, Assignment assignment, ProfileFields f) {
        int counted = devices.stream().mapToInt(DeviceClass::count).sum();
        int fallback = assignment == Assignment.COUNTED && counted > 0 ? counted : DEFAULT_CLIENTS;
        Integer clients = f.integer(root, "", "clients", fallback, 1, "give a number of clients of 1 or more");
        if (assignment == Assignment.COUNTED && counted > 0 && clients != counted) {
            f.problem("clients", "is " + clients + " but the device classes' counts add up to " + counted,
                    "leave 'clients' out or make the counts add up to it");
        }
        return clients;
    }

    private static DatasetSpec dataset(JsonNode node, ProfileFields f) {
        JsonNode d = f.isObject(node, "dataset") ? node : YAML.createObjectNode();
        f.rejectUnknownKeys(d, "dataset", DATASET_KEYS);
        String name = f.choiceSuggesting(d, "dataset", "name", DatasetSpec.CIFAR10, KnownDataset.profileNames());
        String partition = f.text(d, "dataset", "partition", "iid", "");
        if (partition != null) {
            try {
                Partitioners.parse(partition);
            } catch (IllegalArgumentException e) {
                f.problem("dataset.partition", "'" + partition + "' is not a partitioning",
                        "use 'iid' or 'dirichlet(ALPHA)' with ALPHA > 0, e.g. dirichlet(0.5)");
            }
        }
        Double percentage = f.number(d, "dataset", "data_percentage", DEFAULT_DATA_PERCENTAGE, v -> v > 0 && v <= 1,
                "must be in (0, 1]", "give the share of each client's training data to keep, e.g. 0.6");
        Double testSplit = f.number(d, "dataset", "test_split", 0.2, v -> v > 0 && v < 1, "must be in (0, 1)",
                "give the share held out for evaluation, e.g. 0.2");
        long seed = f.integer(d, "dataset", "seed", 42, Integer.MIN_VALUE, "give a whole number");
        return new DatasetSpec(name, partition, percentage, testSplit, seed);
    }

    private static ModelSpec model(JsonNode node, ProfileFields f) {
        JsonNode m = f.isObject(node, "model") ? node : YAML.createObjectNode();
        f.rejectUnknownKeys(m, "model", MODEL_KEYS);
        String name = f.choice(m, "model", "name", "mobilenetv2", Set.of("mobilenetv2"));
        Double alpha = f.number(m, "model", "alpha", 0.1, v -> v > 0 && v <= 1.4, "must be in (0, 1.4]",
                "give MobileNetV2's width multiplier, e.g. 0.1 or 0.35");
        Double momentum = f.number(m, "model", "batchnorm_momentum", 0.999, v -> v > 0 && v < 1, "must be in (0, 1)",
                "give BatchNorm's momentum, e.g. 0.999 (Keras) or 0.9 for short runs");
        return new ModelSpec(name, alpha, momentum);
    }

    private static StrategySpec strategy(JsonNode node, int clients, ProfileFields f) {
        JsonNode s = f.isObject(node, "strategy") ? node : YAML.createObjectNode();
        f.rejectUnknownKeys(s, "strategy", STRATEGY_KEYS);
        String name = f.choice(s, "strategy", "name", "fedavg", Set.of("fedavg", "fednova", "fedprox"));
        Double fraction = f.number(s, "strategy", "fraction_fit", 1.0, v -> v > 0 && v <= 1, "must be in (0, 1]",
                "give the share of clients asked to train each round, e.g. 1.0");
        int defaultMin = Math.min(2, clients);
        Integer minFit = f.integer(s, "strategy", "min_fit_clients", defaultMin, 1, "give 1 or more");
        Integer minAvailable = f.integer(s, "strategy", "min_available_clients", defaultMin, 1, "give 1 or more");
        if (minFit > clients) {
            f.problem("strategy.min_fit_clients", "is " + minFit + " but the profile has only " + clients + " clients",
                    "lower min_fit_clients or add clients");
        }
        if (minAvailable > clients) {
            f.problem("strategy.min_available_clients", "is " + minAvailable + " but the profile has only " + clients
                    + " clients", "lower min_available_clients or add clients");
        }
        Duration timeout = f.duration(s, "strategy", "round_timeout", DEFAULT_ROUND_TIMEOUT,
                "write a duration such as 90s or 10m");
        String deadlineText = f.text(s, "strategy", "deadline", "none", "");
        DeadlineSpec deadline = DeadlineSpec.NONE;
        try {
            deadline = DeadlineSpec.parse(deadlineText);
        } catch (IllegalArgumentException e) {
            f.problem("strategy.deadline", "'" + deadlineText + "' is not a deadline",
                    "use none, a duration such as 45s, or pP*F such as p50*1.5 (P-th percentile of the last round's "
                            + "device times, times F)");
        }
        Integer overSelection = f.integer(s, "strategy", "over_selection", 0, 0,
                "give how many clients to ask on top of those needed, e.g. 1; 0 asks just enough");
        Double mu = f.number(s, "strategy", "proximal_mu", "fedprox".equals(name) ? StrategySpec.DEFAULT_FEDPROX_MU : 0.0,
                v -> v >= 0 && v <= 10, "must be in [0, 10]", "give FedProx's mu, e.g. 0.01; 0 turns the proximal term off");
        Integer restarts = f.integer(s, "strategy", "oom_restarts", StrategySpec.DEFAULT_OOM_RESTARTS, 0,
                "give how many times a client killed for memory is restarted with half its batch size; 0: never");
        return new StrategySpec(name, fraction, minFit, minAvailable, timeout, deadline, overSelection, mu, restarts);
    }

    private static String defaultName(String source) {
        String base = source.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replace("bundled:", "");
        return base.replaceFirst("\\.ya?ml$", "");
    }

    private static ProfileException single(String source, String field, String message, String fix) {
        return new ProfileException(List.of(new Problem(source, field, message, fix)));
    }
}
