package io.flhetero.fl.protocol;

/**
 * Event-bus addresses, all scoped to one run so that two runs on the same bus never cross.
 */
public final class Addresses {

    private static final String PREFIX = "fl-hetero.";

    private Addresses() {
    }

    /** Where clients announce themselves to the server. */
    public static String registration(String runId) {
        return PREFIX + runId + ".server.register";
    }

    /** Where clients ask whether their server is still there. */
    public static String alive(String runId) {
        return PREFIX + runId + ".server.alive";
    }

    /** Where a client that has no files of the run (a Swarm service) asks for its profile and share of the data. */
    public static String share(String runId) {
        return PREFIX + runId + ".server.share";
    }

    /** Where clients publish training progress (fire and forget). */
    public static String progress(String runId) {
        return PREFIX + runId + ".server.progress";
    }

    /** One client's inbox for fit, evaluate and shutdown requests. */
    public static String client(String runId, String clientId) {
        return PREFIX + runId + ".client." + clientId;
    }
}
