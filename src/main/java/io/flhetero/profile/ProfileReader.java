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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates profile YAML. Every problem in a file is collected and reported together, each with
 * its file, field and fix. Defaults follow the original example: 2 clients, 100 rounds, data 0.6.
 */
public final class ProfileReader {

    /** A key given twice is an error, not a silent choice of the last value. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

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

    /** Relative paths in the file (availability traces) are relative to the file's folder. */
    public static Profile read(Path file, ProfileOverrides overrides) {
        Path folder = file.toAbsolutePath().getParent();
        return parse(file.toString(), readText(file), overrides, folder);
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
    /** Relative paths in the text (availability traces) are relative to the working folder. */
    public static Profile parse(String source, String yaml, ProfileOverrides overrides) {
        return parse(source, yaml, overrides, Path.of("").toAbsolutePath());
    }

    private static Profile parse(String source, String yaml, ProfileOverrides overrides, Path folder) {
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
        Profile profile = build(root, source, f, folder);
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

    private static Profile build(JsonNode root, String source, ProfileFields f, Path folder) {
        ProfileSection top = new ProfileSection(f, root, "");
        String name = top.text("name", defaultName(source), "");
        String description = top.text("description", "", "");
        Integer rounds = top.integer("rounds", DEFAULT_ROUNDS, 1, "give a number of rounds of 1 or more");
        long seed = top.integer("seed", 42, Integer.MIN_VALUE, "give a whole number");
        List<DeviceClass> devices = devices(top.child("devices"), f, folder);
        Assignment assignment = assignment(top, devices);
        int clients = clients(top, devices, assignment);
        PolicyName policy = top.choice("policy", PolicyName.STATIC, PolicyName.values(), PolicyName::key);
        DatasetSpec dataset = dataset(top.section("dataset"));
        ModelSpec model = model(top.section("model"));
        StrategySpec strategy = strategy(top.section("strategy"), clients);
        NetworkMode network = top.choice("network", NetworkMode.HOST, NetworkMode.values(), NetworkMode::key);
        top.end();
        return new Profile(name, description, source, clients, rounds, assignment, seed, policy, devices, dataset, model,
                strategy, network);
    }

    private static List<DeviceClass> devices(JsonNode node, ProfileFields f, Path folder) {
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
            JsonNode item = node.get(i);
            if (!f.isObject(item, path)) {
                if (item == null || item.isNull()) {
                    f.problem(path, "is empty", "give name, cpus, memory, batch_size and learning_rate");
                }
                continue;
            }
            ProfileSection d = new ProfileSection(f, item, path);
            String name = d.text("name", "device" + (i + 1), "");
            if (!names.add(name)) {
                d.problem("name", "'" + name + "' is used by an earlier device class", "give each class its own name");
            }
            Double cpus = d.number("cpus", null, v -> v >= MIN_CPUS, "must be at least " + MIN_CPUS
                    + " (Docker's smallest CPU share)", "give the device's CPU share, e.g. 0.5 or 2");
            MemorySize memory = d.memory("memory", "write a size such as 512m or 3g");
            Integer batch = d.integer("batch_size", null, 1, "give a batch size of 1 or more, e.g. 32");
            Double lr = d.number("learning_rate", null, v -> v > 0, "must be greater than 0",
                    "give a positive learning rate, e.g. 0.001");
            Integer epochs = d.integer("local_epochs", 1, 1, "give 1 or more local epochs");
            Integer count = d.integer("count", 0, 1, "give 1 or more clients of this class, or leave count out");
            AvailabilitySpec availability = availability(d.section("availability"), d.has("availability"),
                    folder);
            LinkSpec link = link(d.section("link"), d.has("link"));
            List<String> placement = placement(d, name);
            d.end();
            if (cpus != null && memory != null && batch != null && lr != null) {
                devices.add(new DeviceClass(name, cpus, memory, batch, lr, epochs, count, availability, link,
                        placement));
            }
        }
        return devices;
    }

    /** A device class's churn: a model (share online, mean session) or a trace file; absent, always online. */
    private static AvailabilitySpec availability(ProfileSection a, boolean given, Path folder) {
        Double online = a.number("online", 1.0, v -> v > 0 && v <= 1, "must be in (0, 1]",
                "give the share of time the devices are online, e.g. 0.6");
        Duration session = a.duration("session", Duration.ofMinutes(10),
                "give the mean length of an online session, e.g. 30s or 10m");
        String trace = a.text("trace", "", "");
        a.end();
        if (!given) {
            return AvailabilitySpec.ALWAYS;
        }
        Path file = null;
        if (trace != null && !trace.isEmpty()) {
            file = folder.resolve(trace).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                a.problem("trace", "'" + trace + "' is not a file (" + file + ")", "give a CSV file of "
                        + "client_id,start_seconds,end_seconds online intervals, relative to the profile's folder");
            }
            if (a.has("online") || a.has("session")) {
                a.problem("trace", "a trace and the model's online/session cannot both be given",
                        "keep the trace, or online and session");
            }
        }
        return new AvailabilitySpec(online == null ? 1 : online, session, file);
    }

    /** A device class's network link: bandwidth both ways (or down and up apart) and latency; absent, none. */
    private static LinkSpec link(ProfileSection l, boolean given) {
        long both = rate(l, "bandwidth");
        long down = rate(l, "down");
        long up = rate(l, "up");
        String latencyText = l.text("latency", "0ms", "");
        Duration latency = Duration.ZERO;
        try {
            latency = latencyText == null ? Duration.ZERO : TimeSpan.parse(latencyText);
        } catch (IllegalArgumentException e) {
            l.problem("latency", e.getMessage(), "give the latency of a transfer, e.g. 80ms");
        }
        l.end();
        if (!given) {
            return LinkSpec.UNLIMITED;
        }
        if (both > 0 && (down > 0 || up > 0)) {
            l.problem("bandwidth", "bandwidth and down/up cannot both be given",
                    "give bandwidth for both directions, or down and up");
        }
        return new LinkSpec(down > 0 ? down : both, up > 0 ? up : both, latency);
    }

    /** A constraint: attribute, operator, value; no second operator (Swarm refuses =, !, <, >, ~ in either side). */
    private static final Pattern CONSTRAINT = Pattern.compile("([^=!<>~]*?)\\s*(==|!=)\\s*([^=!<>~]*)");
    /** The node attributes Swarm documents for {@code docker service create --constraint}. */
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "node\\.(id|hostname|role|platform\\.os|platform\\.arch)|(node|engine)\\.labels\\.[A-Za-z0-9_.-]+");
    private static final String PLACEMENT_FORM = "write ATTRIBUTE == VALUE or ATTRIBUTE != VALUE, e.g. "
            + "node.labels.device == pi4, with ATTRIBUTE one of node.id, node.hostname, node.role, node.platform.os, "
            + "node.platform.arch, node.labels.NAME, engine.labels.NAME";

    /** A device class's Swarm placement constraints: a list, or one string; absent, none. */
    private static List<String> placement(ProfileSection d, String className) {
        JsonNode node = d.child("placement");
        List<String> placement = new ArrayList<>();
        if (node == null || node.isNull()) {
            return placement;
        }
        if (node.isObject()) {
            d.problem("placement", "must be a list of constraints, got a mapping", PLACEMENT_FORM);
            return placement;
        }
        for (int j = 0; j < (node.isArray() ? node.size() : 1); j++) {
            String field = node.isArray() ? "placement[" + j + "]" : "placement";
            JsonNode item = node.isArray() ? node.get(j) : node;
            if (!item.isTextual()) {
                d.problem(field, "must be a constraint string, got " + ProfileFields.describe(item)
                        + " (device class '" + className + "')", PLACEMENT_FORM);
                continue;
            }
            String entry = item.asText().trim();
            String where = "'" + entry + "' (device class '" + className + "')";
            Matcher m = CONSTRAINT.matcher(entry);
            if (!m.matches()) {
                d.problem(field, where + " needs one == or != between attribute and value", PLACEMENT_FORM);
            } else if (!ATTRIBUTE.matcher(m.group(1)).matches()) {
                d.problem(field, where + (m.group(1).isEmpty() ? " has no attribute before " + m.group(2)
                        : ": '" + m.group(1) + "' is not a Swarm node attribute"), PLACEMENT_FORM);
            } else if (m.group(3).isEmpty()) {
                d.problem(field, where + " has no value after " + m.group(2), PLACEMENT_FORM);
            } else if (m.group(1).equals("node.role") && !m.group(3).matches("manager|worker")) {
                d.problem(field, where + ": node.role is manager or worker, not '" + m.group(3) + "'",
                        "write node.role == worker, node.role == manager or node.role != manager");
            } else {
                placement.add(entry);
            }
        }
        return placement;
    }

    /** A rate key such as {@code 20mbit}; 0 when absent or wrong (then reported). */
    private static long rate(ProfileSection l, String key) {
        String text = l.text(key, "", "");
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return LinkSpec.parseRate(text);
        } catch (IllegalArgumentException e) {
            l.problem(key, e.getMessage(), "write a rate in bits per second, e.g. 512kbit, 20mbit or 1gbit");
            return 0;
        }
    }

    private static Assignment assignment(ProfileSection top, List<DeviceClass> devices) {
        long counted = devices.stream().filter(d -> d.count() > 0).count();
        if (counted > 0 && counted < devices.size()) {
            top.problem("devices", "some device classes give a count and others do not",
                    "give every class a count, or none (then 'assignment' decides)");
        }
        Assignment assignment = top.choice("assignment", counted > 0 ? Assignment.COUNTED : Assignment.ROUND_ROBIN,
                Assignment.values(), Assignment::key);
        if (assignment == Assignment.COUNTED && counted == 0 && !devices.isEmpty()) {
            top.problem("assignment", "'counted' needs a count on every device class", "add 'count: N' to each class");
        }
        if (counted > 0 && assignment != Assignment.COUNTED) {
            top.problem("assignment", "device classes give counts, so assignment must be 'counted'",
                    "remove 'assignment' or the counts");
        }
        return assignment;
    }

    private static int clients(ProfileSection top, List<DeviceClass> devices, Assignment assignment) {
        int counted = devices.stream().mapToInt(DeviceClass::count).sum();
        int fallback = assignment == Assignment.COUNTED && counted > 0 ? counted : DEFAULT_CLIENTS;
        Integer clients = top.integer("clients", fallback, 1, "give a number of clients of 1 or more");
        if (assignment == Assignment.COUNTED && counted > 0 && clients != counted) {
            top.problem("clients", "is " + clients + " but the device classes' counts add up to " + counted,
                    "leave 'clients' out or make the counts add up to it");
        }
        return clients;
    }

    private static DatasetSpec dataset(ProfileSection d) {
        KnownDataset name = d.choice("name", KnownDataset.CIFAR10, KnownDataset.values(), KnownDataset::profileName);
        String partition = d.text("partition", "iid", "");
        if (partition != null) {
            try {
                Partitioners.parse(partition);
            } catch (IllegalArgumentException e) {
                d.problem("partition", "'" + partition + "' is not a partitioning",
                        "use 'iid' or 'dirichlet(ALPHA)' with ALPHA > 0, e.g. dirichlet(0.5)");
            }
        }
        Double percentage = d.number("data_percentage", DEFAULT_DATA_PERCENTAGE, v -> v > 0 && v <= 1,
                "must be in (0, 1]", "give the share of each client's training data to keep, e.g. 0.6");
        Double testSplit = d.number("test_split", 0.2, v -> v > 0 && v < 1, "must be in (0, 1)",
                "give the share held out for evaluation, e.g. 0.2");
        long seed = d.integer("seed", 42, Integer.MIN_VALUE, "give a whole number");
        d.end();
        return new DatasetSpec(name, partition, percentage, testSplit, seed);
    }

    private static ModelSpec model(ProfileSection m) {
        String name = m.text("name", "mobilenetv2", "the only model is mobilenetv2");
        if (!"mobilenetv2".equals(name)) {
            m.problem("name", "'" + name + "' is not one of mobilenetv2", "use one of mobilenetv2");
        }
        Double alpha = m.number("alpha", 0.1, v -> v > 0 && v <= 1.4, "must be in (0, 1.4]",
                "give MobileNetV2's width multiplier, e.g. 0.1 or 0.35");
        Double momentum = m.number("batchnorm_momentum", 0.999, v -> v > 0 && v < 1, "must be in (0, 1)",
                "give BatchNorm's momentum, e.g. 0.999 (Keras) or 0.9 for short runs");
        m.end();
        return new ModelSpec(name, alpha, momentum);
    }

    private static StrategySpec strategy(ProfileSection s, int clients) {
        StrategyName name = s.choice("name", StrategyName.FEDAVG, StrategyName.values(), StrategyName::key);
        Double fraction = s.number("fraction_fit", 1.0, v -> v > 0 && v <= 1, "must be in (0, 1]",
                "give the share of clients asked to train each round, e.g. 1.0");
        int defaultMin = Math.min(2, clients);
        Integer minFit = s.integer("min_fit_clients", defaultMin, 1, "give 1 or more");
        Integer minAvailable = s.integer("min_available_clients", defaultMin, 1, "give 1 or more");
        if (minFit > clients) {
            s.problem("min_fit_clients", "is " + minFit + " but the profile has only " + clients + " clients",
                    "lower min_fit_clients or add clients");
        }
        if (minAvailable > clients) {
            s.problem("min_available_clients", "is " + minAvailable + " but the profile has only " + clients
                    + " clients", "lower min_available_clients or add clients");
        }
        Duration timeout = s.duration("round_timeout", DEFAULT_ROUND_TIMEOUT, "write a duration such as 90s or 10m");
        String deadlineText = s.text("deadline", "none", "");
        DeadlineSpec deadline = DeadlineSpec.NONE;
        try {
            deadline = DeadlineSpec.parse(deadlineText);
        } catch (IllegalArgumentException e) {
            s.problem("deadline", "'" + deadlineText + "' is not a deadline",
                    "use none, a duration such as 45s, or pP*F such as p50*1.5 (P-th percentile of the last round's "
                            + "device times, times F)");
        }
        Integer overSelection = s.integer("over_selection", 0, 0,
                "give how many clients to ask on top of those needed, e.g. 1; 0 asks just enough");
        Double mu = s.number("proximal_mu", name == StrategyName.FEDPROX ? StrategySpec.DEFAULT_FEDPROX_MU : 0.0,
                v -> v >= 0 && v <= 10, "must be in [0, 10]", "give FedProx's mu, e.g. 0.01; 0 turns the proximal term off");
        Integer restarts = s.integer("oom_restarts", StrategySpec.DEFAULT_OOM_RESTARTS, 0,
                "give how many times a client killed for memory is restarted with half its batch size; 0: never");
        Double fractionEvaluate = s.number("fraction_evaluate", 1.0, v -> v > 0 && v <= 1, "must be in (0, 1]",
                "give the share of clients asked to evaluate each round, e.g. 0.1; 1.0 asks all");
        Integer minEvaluate = s.integer("min_evaluate_clients", defaultMin, 1, "give 1 or more");
        if (minEvaluate != null && minEvaluate > clients) {
            s.problem("min_evaluate_clients", "is " + minEvaluate + " but the profile has only " + clients
                    + " clients", "lower min_evaluate_clients or add clients");
        }
        BufferSpec buffer = buffer(s, name, clients);
        if (name.asynchronous() && overSelection != null && overSelection > 0) {
            s.problem("over_selection", "does not apply to fedbuff: it has no rounds to keep the first of",
                    "remove it; concurrency says how many clients train at once");
        }
        if (name.asynchronous() && fractionEvaluate != null && fractionEvaluate < 1) {
            s.problem("fraction_evaluate", "does not apply to fedbuff: its server scores every client's test split",
                    "remove it; evaluate_every spaces the evaluations out");
        }
        if (name.asynchronous() && deadline.derived()) {
            s.problem("deadline", "a derived deadline (" + deadlineText + ") needs rounds; fedbuff has none",
                    "give a fixed one such as 45s, or none");
        }
        s.end();
        return new StrategySpec(name, fraction, minFit, minAvailable, timeout, deadline, overSelection, mu, restarts,
                buffer, fractionEvaluate, minEvaluate);
    }

    /** FedBuff's keys: read (so known) for every strategy, refused for the synchronous ones. */
    private static BufferSpec buffer(ProfileSection s, StrategyName name, int clients) {
        Integer concurrency = s.integer("concurrency", clients, 1,
                "give how many clients train at once, e.g. " + clients + " (all of them)");
        int defaultSize = Math.max(1, Math.min(10, (concurrency == null ? clients : concurrency) / 2));
        Integer size = s.integer("buffer_size", defaultSize, 1,
                "give how many updates make one new model version, e.g. " + defaultSize);
        Integer maxStaleness = s.integer("max_staleness", 0, 0,
                "give how many versions old an update may be before it is dropped, e.g. 10; 0 keeps every update");
        String weightingText = s.text("staleness_weighting", "sqrt", "");
        StalenessWeight weighting = StalenessWeight.parse("sqrt");
        try {
            weighting = StalenessWeight.parse(weightingText);
        } catch (IllegalArgumentException e) {
            s.problem("staleness_weighting", "'" + weightingText + "' is not a staleness weighting",
                    "use sqrt (1/sqrt(1+s)), none, or poly(A) for (1+s)^-A, e.g. poly(0.5)");
        }
        String correction = s.text("frequency_correction", "duration", "");
        if (!correction.equals("duration") && !correction.equals("none")) {
            s.problem("frequency_correction", "'" + correction + "' is not a frequency correction",
                    "use duration (an update also counts by how long its work took) or none");
        }
        Double rate = s.number("server_learning_rate", 1.0, v -> v > 0 && v <= 10, "must be in (0, 10]",
                "give the server's step on the buffered update, e.g. 1.0");
        Integer evaluateEvery = s.integer("evaluate_every", 1, 1,
                "give how many model versions pass between evaluations, e.g. 1");
        if (!name.asynchronous()) {
            for (String key : List.of("concurrency", "buffer_size", "max_staleness", "staleness_weighting",
                    "frequency_correction", "server_learning_rate", "evaluate_every")) {
                if (s.has(key)) {
                    s.problem(key, "is a setting of strategy fedbuff, not of " + name.key(),
                            "remove it, or use name: fedbuff");
                }
            }
            return null;
        }
        if (size != null && concurrency != null && size > concurrency * 100) {
            s.problem("buffer_size", "is " + size + ": with " + concurrency + " clients training at once, a version "
                    + "would wait for more than 100 updates of each", "lower buffer_size");
        }
        return new BufferSpec(size, concurrency, maxStaleness, weighting, !correction.equals("none"), rate,
                evaluateEvery);
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
