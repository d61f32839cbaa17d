package io.flhetero.profile;

import java.time.Duration;

/**
 * How the server runs rounds.
 *
 * @param fractionFit         share of available clients asked to train each round, in (0, 1]
 * @param minFitClients       fewest clients a round trains with
 * @param minAvailableClients fewest connected clients needed to start or continue
 * @param roundTimeout        how long a round waits for its slowest client
 * @param deadline            device time for each client's local work, after which it returns what it did
 * @param overSelection       clients asked on top of those needed (as far as there are any); the round keeps all
 *                            but the last {@code overSelection} to finish, never fewer than min_fit_clients
 * @param proximalMu          FedProx's mu: local training is pulled towards the global model by
 *                            mu/2 * |w - w_global|^2; 0: none
 * @param oomRestarts         how many times a client killed for memory is restarted with half its batch size
 * @param buffer              FedBuff's settings; null for the synchronous strategies
 * @param fractionEvaluate    share of available clients asked to evaluate each round, in (0, 1] (Flower's name)
 * @param minEvaluateClients  fewest clients asked to evaluate, as far as there are any
 */
public record StrategySpec(StrategyName name, double fractionFit, int minFitClients, int minAvailableClients,
                           Duration roundTimeout, DeadlineSpec deadline, int overSelection, double proximalMu,
                           int oomRestarts, BufferSpec buffer, double fractionEvaluate, int minEvaluateClients) {

    public static final int DEFAULT_OOM_RESTARTS = 2;
    public static final double DEFAULT_FEDPROX_MU = 0.01;

    public StrategySpec(StrategyName name, double fractionFit, int minFitClients, int minAvailableClients,
                        Duration roundTimeout) {
        this(name, fractionFit, minFitClients, minAvailableClients, roundTimeout, DeadlineSpec.NONE);
    }

    public StrategySpec(StrategyName name, double fractionFit, int minFitClients, int minAvailableClients,
                        Duration roundTimeout, DeadlineSpec deadline) {
        this(name, fractionFit, minFitClients, minAvailableClients, roundTimeout, deadline, 0, 0,
                DEFAULT_OOM_RESTARTS, null, 1.0, 0);
    }

    public StrategySpec withName(StrategyName newName) {
        return new StrategySpec(newName, fractionFit, minFitClients, minAvailableClients, roundTimeout, deadline,
                overSelection, proximalMu, oomRestarts, buffer, fractionEvaluate, minEvaluateClients);
    }

    public StrategySpec withDeadline(DeadlineSpec newDeadline) {
        return new StrategySpec(name, fractionFit, minFitClients, minAvailableClients, roundTimeout, newDeadline,
                overSelection, proximalMu, oomRestarts, buffer, fractionEvaluate, minEvaluateClients);
    }

    public StrategySpec withOverSelection(int extra) {
        return new StrategySpec(name, fractionFit, minFitClients, minAvailableClients, roundTimeout, deadline, extra,
                proximalMu, oomRestarts, buffer, fractionEvaluate, minEvaluateClients);
    }

    /** FedBuff with {@code settings}: the strategy named so, and its buffer. */
    public StrategySpec withBuffer(BufferSpec settings) {
        return new StrategySpec(StrategyName.FEDBUFF, fractionFit, minFitClients, minAvailableClients, roundTimeout,
                deadline, overSelection, proximalMu, oomRestarts, settings, fractionEvaluate, minEvaluateClients);
    }

    public StrategySpec withProximalMu(double mu) {
        return new StrategySpec(name, fractionFit, minFitClients, minAvailableClients, roundTimeout, deadline,
                overSelection, mu, oomRestarts, buffer, fractionEvaluate, minEvaluateClients);
    }
}
