package io.flhetero.fl.server;

import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.model.OptimizerState;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What drives a run's training, as the run sees it: synchronous rounds ({@link RoundCoordinator}) or buffered
 * asynchronous aggregation ({@link BufferedCoordinator}), over the same registry and fan-out.
 */
public interface Coordinator {

    /**
     * Waits until {@code expected} clients have registered or the timeout passes.
     *
     * @throws TooFewClientsException when fewer than min_available_clients came
     */
    List<RegisteredClient> awaitClients(int expected, Duration timeout) throws InterruptedException;

    /**
     * Trains until round (synchronously) or model version (asynchronously) {@code round} exists, evaluates it when
     * due and reports it; empty when the run was stopped meanwhile.
     */
    Optional<RoundReport> round(int round) throws InterruptedException;

    float[] globalParameters();

    /** Device time since the run began, as the coordinator counts it (the clock availability follows). */
    double clock();

    /**
     * The optimizer states that changed in the last reported round, for a checkpoint: those of the clients that
     * trained in it (a checkpoint keeps the others' from before). Only those, so that a checkpoint costs what a round
     * changed, not what ten thousand clients hold; handed over once (a second call returns none).
     */
    Map<String, OptimizerState> clientStates();

    /**
     * Continues from a checkpoint: the global parameters after round (or version) {@code round}, reached after
     * {@code deviceSeconds} of device time (the clock availability follows).
     */
    void restoreGlobal(float[] parameters, int round, double deviceSeconds);

    void restoreClientStates(Map<String, OptimizerState> states);

    /** Stops from another thread (Ctrl-C): what is in flight ends now. */
    void stop();
}
