package io.flhetero.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * Reads typed fields out of a YAML tree and records a {@link Problem} for each bad one instead of stopping at
 * the first, so that {@code profiles validate} can report everything at once.
 */
final class ProfileFields {

    private final String source;
    private final Map<String, String> overridden;
    private final List<Problem> problems = new ArrayList<>();

    /** @param overridden field path to the command-line option that set it, so messages blame the right place */
    ProfileFields(String source, Map<String, String> overridden) {
        this.source = source;
        this.overridden = overridden;
    }

    List<Problem> problems() {
        return problems;
    }

    void problem(String field, String message, String fix) {
        problems.add(at(field, message, fix));
    }

    /** A problem with a field, blamed on the command-line option that set it, if one did. */
    private Problem at(String field, String message, String fix) {
        String where = overridden.containsKey(field) ? "command line" : source;
        return new Problem(where, overridden.getOrDefault(field, field), message, fix);
    }

    /**
     * Reports keys that the schema does not know, suggesting the closest known one; their problems go in at
     * {@code position}, so that they come before those of the section they are in, as in the file.
     */
    void rejectUnknownKeys(JsonNode node, String path, Set<String> known, int position) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        List<Problem> unknown = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String closest = closest(key, known);
                unknown.add(at(join(path, key), "unknown key",
                        closest == null ? "remove it; known keys here: " + String.join(", ", sorted(known))
                                : "did you mean '" + closest + "'? Known keys here: " + String.join(", ", sorted(known))));
            }
        }
        problems.addAll(position, unknown);
    }

    boolean isObject(JsonNode node, String path) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            problem(path, "must be a mapping of keys to values, got " + describe(node), "write it as 'key: value' lines");
            return false;
        }
        return true;
    }

    /**
     * The value at {@code key}, or null when it is absent, which is a problem only when there is no fallback
     * (the key is required).
     */
    private JsonNode present(JsonNode parent, String path, String key, Object fallback, String fix) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                problem(join(path, key), "is required", fix);
            }
            return null;
        }
        return node;
    }

    String text(JsonNode parent, String path, String key, String fallback, String fix) {
        JsonNode node = present(parent, path, key, fallback, fix);
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            problem(join(path, key), "must be a single value, got " + describe(node), fix);
            return fallback;
        }
        return node.asText();
    }

    Integer integer(JsonNode parent, String path, String key, Integer fallback, int min, String fix) {
        JsonNode node = present(parent, path, key, fallback, fix);
        String field = join(path, key);
        if (node == null) {
            return fallback;
        }
        String digits = node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.asText().trim();
        if (!node.isIntegralNumber() && !(node.isTextual() && digits.matches("-?\\d+"))) {
            problem(field, "must be a whole number, got " + describe(node), fix);
            return fallback;
        }
        // Checked on the exact value: a number past int's range must not wrap around (4294967297 is not 1).
        BigInteger value = new BigInteger(digits);
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            problem(field, "must be at least " + min + ", got " + value, fix);
            return fallback;
        }
        if (value.bitLength() > 31) {
            problem(field, "must be at most " + Integer.MAX_VALUE + ", got " + value, fix);
            return fallback;
        }
        return value.intValue();
    }

    /** A number that must satisfy {@code valid}; {@code rule} says in words what valid means. */
    Double number(JsonNode parent, String path, String key, Double fallback, DoublePredicate valid, String rule,
                  String fix) {
        JsonNode node = present(parent, path, key, fallback, fix);
        String field = join(path, key);
        if (node == null) {
            return fallback;
        }
        double value;
        if (node.isNumber()) {
            value = node.asDouble();
        } else {
            try {
                String text = node.asText().trim();
                // Java also reads "2d", "1f" and hexadecimal floats; a profile's numbers are plain decimals.
                if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity)")) {
                    throw new NumberFormatException(text);
                }
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                problem(field, "must be a number, got " + describe(node), fix);
                return fallback;
            }
        }
        if (!Double.isFinite(value)) {
            problem(field, "must be a finite number, got " + describe(node), fix);
            return fallback;
        }
        if (!valid.test(value)) {
            problem(field, rule + ", got " + value, fix);
            return fallback;
        }
        return value;
    }

    MemorySize memory(JsonNode parent, String path, String key, String fix) {
        String text = text(parent, path, key, null, fix);
        if (text == null) {
            return null;
        }
        try {
            return MemorySize.parse(text);
        } catch (IllegalArgumentException e) {
            problem(join(path, key), e.getMessage(), fix);
            return null;
        }
    }

    Duration duration(JsonNode parent, String path, String key, Duration fallback, String fix) {
        String text = text(parent, path, key, TimeSpan.format(fallback), fix);
        try {
            Duration d = TimeSpan.parse(text);
            if (d.isZero()) {
                problem(join(path, key), "must be longer than zero", fix);
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(join(path, key), e.getMessage(), fix);
            return fallback;
        }
    }

    /** One of {@code allowed}; a near miss gets the closest allowed value suggested, as an unknown key does. */
    String choice(JsonNode parent, String path, String key, String fallback, Set<String> allowed) {
        String value = text(parent, path, key, fallback, "one of " + String.join(", ", sorted(allowed)));
        if (value != null && !allowed.contains(value)) {
            String closest = closest(value, allowed);
            problem(join(path, key), "'" + value + "' is not one of " + String.join(", ", sorted(allowed)),
                    (closest == null ? "use" : "did you mean '" + closest + "'? Use") + " one of "
                            + String.join(", ", sorted(allowed)));
            return fallback;
        }
        return value;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = editDistance(key.toLowerCase(), candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
