package io.flhetero.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where two profiles differ, field by field, as their resolved YAML says ("rounds: 10 here, 20 there"). */
public final class ProfileDifference {

    private static final YAMLMapper YAML = new YAMLMapper();

    private ProfileDifference() {
    }

    /** Each differing field as "field: A, not B" ({@code saved}'s value first); the name and source do not count. */
    public static List<String> between(Profile saved, Profile given) {
        Map<String, String> a = flatten(saved);
        Map<String, String> b = flatten(given);
        List<String> differences = new ArrayList<>();
        for (String field : union(a, b)) {
            if (field.equals("name") || field.equals("description")) {
                continue;
            }
            String was = a.getOrDefault(field, "(none)");
            String now = b.getOrDefault(field, "(none)");
            if (!was.equals(now)) {
                differences.add(field + " was " + was + ", here " + now);
            }
        }
        return differences;
    }

    private static List<String> union(Map<String, String> a, Map<String, String> b) {
        TreeMap<String, String> all = new TreeMap<>(a);
        all.putAll(b);
        return List.copyOf(all.keySet());
    }

    private static Map<String, String> flatten(Profile p) {
        try {
            Map<String, String> fields = new TreeMap<>();
            flatten(YAML.readTree(ProfileWriter.toYaml(p)), "", fields);
            return fields;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flatten(JsonNode node, String path, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), path + "[" + i + "]", into);
            }
        } else {
            into.put(path, node.asText());
        }
    }
}
