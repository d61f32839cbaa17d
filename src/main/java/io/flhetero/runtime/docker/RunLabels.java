package io.flhetero.runtime.docker;

import java.util.Map;

/** Labels on every container and network fl-hetero creates, so that `stop` finds them even after a crash. */
public final class RunLabels {

    public static final String PRODUCT = "io.flhetero";
    public static final String RUN = "io.flhetero.run";
    public static final String ROLE = "io.flhetero.role";
    public static final String CLIENT = "io.flhetero.client";
    public static final String DEVICE_CLASS = "io.flhetero.device-class";

    private RunLabels() {
    }

    public static Map<String, String> network(String runId) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, "network");
    }

    public static Map<String, String> client(String runId, String clientId, String deviceClass) {
        return Map.of(PRODUCT, "true", RUN, runId, ROLE, "client", CLIENT, clientId, DEVICE_CLASS, deviceClass);
    }
}
