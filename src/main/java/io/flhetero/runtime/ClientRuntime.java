package io.flhetero.runtime;

import io.flhetero.profile.ClientSpec;

import java.util.List;

/**
 * Where clients run: in this JVM with simulated limits, or in containers with real ones. A runtime starts one
 * client per spec; each client then registers with the server on the event bus by itself.
 */
public interface ClientRuntime extends AutoCloseable {

    /**
     * Starts the clients.
     *
     * @param lost told when the runtime sees a client die (a container exits or is OOM-killed), so that the
     *             server stops waiting for it
     */
    void start(String runId, List<ClientSpec> clients, ClientLostListener lost) throws Exception;

    /**
     * Starts a client that was killed (for memory) again, with the same limits; it registers anew by itself.
     *
     * @return whether it is being started
     */
    default boolean restart(String clientId) {
        return false;
    }

    /**
     * The client's device went offline (churn): its process stops, its data stays. The runtime does not report
     * the stop as a lost client.
     *
     * @return whether the runtime stopped it; in-process clients are not stopped (their churn is simulated)
     */
    default boolean suspend(String clientId) {
        return false;
    }

    /**
     * The client's device came back online: it starts again, with its data and limits, and registers anew.
     *
     * @return whether it is being started
     */
    default boolean resume(String clientId) {
        return false;
    }

    /** What is known about a client that did not register: for a container, the tail of its log. */
    default String diagnose(String clientId) {
        return "";
    }

    /** Stops every client this runtime started; safe to call more than once. */
    @Override
    void close();
}
