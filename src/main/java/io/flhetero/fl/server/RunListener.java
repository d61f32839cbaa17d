package io.flhetero.fl.server;

import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.strategy.ClientProxy;

import java.util.List;

/** Hears what a run does: the console, the metrics and the run directory each listen. */
public interface RunListener {

    default void clientRegistered(ClientProxy client) {
    }

    default void roundStarted(int round, List<ClientProxy> training) {
    }

    default void progress(Messages.Progress progress) {
    }

    default void roundFinished(RoundReport report) {
    }

    /** A client killed for memory is being started again ({@code restart} of at most {@code maxRestarts}). */
    default void clientRestarted(String clientId, int restart, int maxRestarts) {
    }

    /** One listener that tells each of {@code listeners}, in order. */
    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return new RunListener() {
            @Override
            public void clientRegistered(ClientProxy client) {
                copy.forEach(l -> l.clientRegistered(client));
            }

            @Override
            public void roundStarted(int round, List<ClientProxy> training) {
                copy.forEach(l -> l.roundStarted(round, training));
            }

            @Override
            public void progress(Messages.Progress progress) {
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
        };
    }
}
