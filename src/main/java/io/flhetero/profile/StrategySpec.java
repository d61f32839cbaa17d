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
 */
public record StrategySpec(String name, double fractionFit, int minFitClients, int minAvailableClients,
                           Duration roundTimeout, DeadlineSpec deadline) {

    public StrategySpec(String name, double fractionFit, int minFitClients, int minAvailableClients,
                        Duration roundTimeout) {
        this(name, fractionFit, minFitClients, minAvailableClients, roundTimeout, DeadlineSpec.NONE);
    }
}
