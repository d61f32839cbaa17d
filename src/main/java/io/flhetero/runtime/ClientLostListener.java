package io.flhetero.runtime;

import io.flhetero.fl.api.FailureReason;

/** Hears from a runtime that a client is gone, and why. */
@FunctionalInterface
public interface ClientLostListener {

    void clientLost(String clientId, FailureReason reason, String detail);
}
