package io.flhetero.fl.strategy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one count of clients killed for memory, in fit or in evaluation. Each kill halves the client's batch
 * ({@link FedAvg#planFor}), and a killed client is restarted while it has restarts left (strategy.oom_restarts).
 */
public final class MemoryKills {

    private final int maxRestarts;
    private final Map<String, Integer> kills = new ConcurrentHashMap<>();

    public MemoryKills(int maxRestarts) {
        this.maxRestarts = maxRestarts;
    }

    /** Counts a kill; returns how many the client has had. */
    public int record(String clientId) {
        return kills.merge(clientId, 1, Integer::sum);
    }

    public int of(String clientId) {
        return kills.getOrDefault(clientId, 0);
    }

    /** Whether the client, killed {@link #of} times, may be restarted once more. */
    public boolean mayRestart(String clientId) {
        return of(clientId) <= maxRestarts;
    }

    /** Every count so far, for a checkpoint. */
    public Map<String, Integer> counts() {
        return Map.copyOf(kills);
    }

    public void restore(Map<String, Integer> counts) {
        kills.putAll(counts);
    }

    public int maxRestarts() {
        return maxRestarts;
    }
}
