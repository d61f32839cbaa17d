package io.flhetero.runtime.docker;

import java.util.Map;
import java.util.Optional;

/**
 * Labels on every container, network, Swarm service and secret fl-hetero creates, so that `stop` finds them even after
 * a crash.
 */
public final class RunLabels {

    public static final String PRODUCT = "io.flhetero";
    public static final String RUN = "io.flhetero.run";
    public static final String ROLE = "io.flhetero.role";
    public static final String CLIENT = "io.flhetero.client";
    public static final String DEVICE_CLASS = "io.flhetero.device-class";
    /** The process that runs the run: see {@link RunOwner}. */
    public static final String OWNER = "io.flhetero.owner";
    /** Set on the containers of {@code dashboard}: a finished run's, in nobody's way. */
    public static final String DASHBOARD = "io.flhetero.dashboard";

    private RunLabels() {
    }

    public static Map<String, String> network(String runId) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, "network", OWNER, RunOwner.current().label());
    }

    /** The labels of a Swarm run's launch secret. */
    public static Map<String, String> launch(String runId) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, "launch", OWNER, RunOwner.current().label());
    }

    public static Map<String, String> client(String runId, String clientId, String deviceClass) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, "client", CLIENT, clientId, DEVICE_CLASS, deviceClass,
                OWNER, RunOwner.current().label());
    }

    /** The labels of a monitoring container ({@code role}: prometheus, cadvisor, grafana). */
    public static Map<String, String> monitoring(String runId, String role) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, role, OWNER, RunOwner.current().label());
    }

    /**
     * The labels of a container of {@code dashboard} over a finished run: no owner, as the process that started it
     * is gone at once and nothing of the run is live.
     */
    public static Map<String, String> dashboard(String runId, String role) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, role, DASHBOARD, "true");
    }

    /** The owner of a container or network by its labels, if it was labelled with one. */
    public static Optional<RunOwner> owner(Map<String, String> labels) {
        return labels == null ? Optional.empty() : RunOwner.parse(labels.get(OWNER));
    }
}
