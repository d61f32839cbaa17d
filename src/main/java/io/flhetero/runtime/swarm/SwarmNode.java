package io.flhetero.runtime.swarm;

import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmNodeState;
import io.flhetero.profile.ProfileWriter;

import java.util.Locale;
import java.util.Map;

/**
 * One node of the swarm, with what placement constraints can name and what it offers clients.
 *
 * @param ready up and taking tasks: ready, and neither drained nor paused
 */
public record SwarmNode(String id, String hostname, String role, String os, String arch, Map<String, String> labels,
                        Map<String, String> engineLabels, double cpus, long memoryBytes, boolean ready) {

    static SwarmNode of(com.github.dockerjava.api.model.SwarmNode n) {
        var d = n.getDescription();
        var resources = d == null ? null : d.getResources();
        var platform = d == null ? null : d.getPlatform();
        var spec = n.getSpec();
        return new SwarmNode(n.getId(),
                d == null ? "" : d.getHostname(),
                spec == null || spec.getRole() == null ? "" : spec.getRole().name().toLowerCase(Locale.ROOT),
                platform == null || platform.getOs() == null ? "" : platform.getOs(),
                platform == null || platform.getArchitecture() == null ? "" : platform.getArchitecture(),
                spec == null || spec.getLabels() == null ? Map.of() : spec.getLabels(),
                d == null || d.getEngine() == null || d.getEngine().getLabels() == null ? Map.of()
                        : d.getEngine().getLabels(),
                resources == null || resources.getNanoCPUs() == null ? 0 : resources.getNanoCPUs() / 1e9,
                resources == null || resources.getMemoryBytes() == null ? 0 : resources.getMemoryBytes(),
                n.getStatus() != null && n.getStatus().getState() == SwarmNodeState.READY
                        && (spec == null || spec.getAvailability() == null
                        || spec.getAvailability() == SwarmNodeAvailability.ACTIVE));
    }

    /**
     * Whether the node satisfies every constraint ({@code node.labels.device == pi4}, {@code node.role != manager}
     * ...), as Swarm's scheduler reads them: values compared regardless of case, and an attribute the node lacks
     * equals nothing.
     */
    public boolean satisfies(Iterable<String> constraints) {
        for (String c : constraints) {
            boolean equals = !c.contains("!=");
            String[] parts = c.split(equals ? "==" : "!=", 2);
            String value = attribute(parts[0].strip());
            if ((value != null && value.equalsIgnoreCase(parts[1].strip())) != equals) {
                return false;
            }
        }
        return true;
    }

    private String attribute(String name) {
        return switch (name) {
            case "node.id" -> id;
            case "node.hostname" -> hostname;
            case "node.role" -> role;
            case "node.platform.os" -> os;
            case "node.platform.arch" -> arch;
            default -> name.startsWith("node.labels.") ? labels.get(name.substring("node.labels.".length()))
                    : name.startsWith("engine.labels.") ? engineLabels.get(name.substring("engine.labels.".length()))
                    : null;
        };
    }

    public String describe() {
        return hostname + " (" + role + ", " + ProfileWriter.number(cpus) + " CPUs, "
                + (memoryBytes >> 20) + " MB" + (labels.isEmpty() ? "" : ", labels " + labels) + ")";
    }
}
