package io.flhetero.fl.api;

import java.util.List;

/** Hears what a run does: the console, the metrics and the run directory each listen. */
public interface RunListener {

    default void clientRegistered(RegisteredClient client) {
    }

    default void roundStarted(int round, List<RegisteredClient> training) {
    }

    default void progress(FitProgress progress) {
    }

    default void roundFinished(RoundReport report) {
    }

    /** A client killed for memory is being started again ({@code restart} of at most {@code maxRestarts}). */
    default void clientRestarted(String clientId, int restart, int maxRestarts) {
    }

    /**
     * A client went offline or came back online (churn), at {@code deviceSeconds} on the run's device-time clock.
     * A client that starts offline is reported once, offline, at the run's start.
     */
    default void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
    }

    /** One listener that tells each of {@code listeners}, in order. */
    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return new RunListener() {
            @Override
            public void clientRegistered(RegisteredClient client) {
                copy.forEach(l -> l.clientRegistered(client));
            }

            @Override
            public void roundStarted(int round, List<RegisteredClient> training) {
                copy.forEach(l -> l.roundStarted(round, training));
            }

            @Override
            public void progress(FitProgress progress) {
                copy.forEach(l -> l.progress(progress));
            }

            @Override
            public void roundFinished(RoundReport report) {
                copy.forEach(l -> l.roundFinished(report));
            }

            @Override
            public void clientRestarted(String clientId, int restart, int maxRestarts) {
                copy.forEach(l -> l.clientRestarted(clientId, restart, maxRestarts));
            }

            @Override
            public void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
                copy.forEach(l -> l.availabilityChanged(clientId, online, deviceSeconds));
            }
        };
    }
}
