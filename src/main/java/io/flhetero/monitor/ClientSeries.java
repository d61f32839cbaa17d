package io.flhetero.monitor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whose series a client's figures go to. Up to a limit of clients each has series of its own; past it, a run of
 * thousands would put hundreds of thousands of series in Prometheus, so the clients of a device class share one:
 * label {@code client_id="*"} (and container name {@code clients/CLASS}, which dashboards' {@code client.*} matches), where gauges hold the class's mean over the
 * clients that last reported and counters the class's sum. rounds.csv keeps every client's figures either way.
 */
public final class ClientSeries {

    /** The client label of a device class's shared series. */
    public static final String ALL = "*";
    /** Clients a run may have before their series are shared by device class, unless the run says otherwise. */
    public static final int DEFAULT_LIMIT = 100;

    private final boolean byClass;
    private final Map<String, String> classOf = new ConcurrentHashMap<>();

    private ClientSeries(boolean byClass) {
        this.byClass = byClass;
    }

    /** Series per client. */
    public static ClientSeries perClient() {
        return new ClientSeries(false);
    }

    /** Per client for a run of up to {@code limit} clients, per device class above. */
    public static ClientSeries forRun(int clients, int limit) {
        return new ClientSeries(clients > limit);
    }

    public boolean byClass() {
        return byClass;
    }

    public void register(String clientId, String deviceClass) {
        classOf.put(clientId, deviceClass);
    }

    public String deviceClass(String clientId) {
        return classOf.getOrDefault(clientId, "unknown");
    }

    /** The {@code client_id} label of a client's series. */
    public String clientLabel(String clientId) {
        return byClass ? ALL : clientId;
    }

    /**
     * The {@code name} label of a container's series: a client's own, or its class's. A name that is no client's (a
     * Docker container's name) stays as it is: a host runs few containers.
     */
    public String containerName(String name) {
        String deviceClass = classOf.get(name);
        return byClass && deviceClass != null ? "clients/" + deviceClass : name;
    }
}
