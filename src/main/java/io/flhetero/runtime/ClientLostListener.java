package io.flhetero.runtime;

import io.flhetero.fl.api.FailureReason;

/** Hears from a runtime that a client is gone, and why. */
@FunctionalInterface
public interface ClientLostListener {

    /** The client's process ended (an exit the runtime saw): it will not register again unless restarted. */
    void clientLost(String clientId, FailureReason reason, String detail);

    /**
     * The runtime can no longer see the client (its engine or swarm manager stopped answering): it counts as lost,
     * but nothing says its process ended, so one that has not registered yet may still do so.
     */
    default void clientUnseen(String clientId, FailureReason reason, String detail) {
        clientLost(clientId, reason, detail);
    }
}
