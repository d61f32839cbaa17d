package io.flhetero.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One mapping of a profile: the top level, a device class, dataset, model or strategy. Its keys are declared by
 * reading them, each once with its type, default, check and fix; {@link #end()} then refuses whatever else the
 * mapping holds, suggesting the closest key it knows.
 */
final class ProfileSection {

    private final ProfileFields fields;
    private final JsonNode node;
    private final String path;
    private final Set<String> known = new LinkedHashSet<>();
    /** Where this section's problems begin, for its unknown keys to go first. */
    private final int firstProblem;

    /** A section at {@code path}; an absent one reads as empty, so every key takes its default. */
    ProfileSection(ProfileFields fields, JsonNode node, String path) {
        this.fields = fields;
        this.node = node != null && node.isObject() ? node : JsonNodeFactory.instance.objectNode();
        this.path = path;
        this.firstProblem = fields.problems().size();
    }

    /** The section under {@code key}, which must be a mapping when present. */
    ProfileSection section(String key) {
        JsonNode child = child(key);
        fields.isObject(child, ProfileFields.join(path, key));
        return new ProfileSection(fields, child, ProfileFields.join(path, key));
    }

    /** The raw value under {@code key}, for lists the caller walks itself. */
    JsonNode child(String key) {
        known.add(key);
        return node.get(key);
    }

    String text(String key, String fallback, String fix) {
        known.add(key);
        return fields.text(node, path, key, fallback, fix);
    }

    Integer integer(String key, Integer fallback, int min, String fix) {
        known.add(key);
        return fields.integer(node, path, key, fallback, min, fix);
    }

    Double number(String key, Double fallback, DoublePredicate valid, String rule, String fix) {
        known.add(key);
        return fields.number(node, path, key, fallback, valid, rule, fix);
    }

    MemorySize memory(String key, String fix) {
        known.add(key);
        return fields.memory(node, path, key, fix);
    }

    Duration duration(String key, Duration fallback, String fix) {
        known.add(key);
        return fields.duration(node, path, key, fallback, fix);
    }

    /** One of an enum's values, by its profile spelling; a near miss gets the closest suggested. */
    <E extends Enum<E>> E choice(String key, E fallback, E[] values, Function<E, String> spelling) {
        known.add(key);
        Set<String> allowed = Arrays.stream(values).map(spelling).collect(Collectors.toSet());
        String chosen = fields.choice(node, path, key, fallback == null ? null : spelling.apply(fallback), allowed);
        return Arrays.stream(values).filter(v -> spelling.apply(v).equals(chosen)).findFirst().orElse(fallback);
    }

    /** Whether the section gives {@code key} at all (reading it is what declares it). */
    boolean has(String key) {
        return node.has(key);
    }

    void problem(String key, String message, String fix) {
        fields.problem(ProfileFields.join(path, key), message, fix);
    }

    /** Refuses the keys this section did not read. */
    void end() {
        fields.rejectUnknownKeys(node, path, known, firstProblem);
    }
}
