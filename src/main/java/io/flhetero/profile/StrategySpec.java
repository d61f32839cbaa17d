package io.flhetero.profile;

import java.time.Duration;

/**
 * How the server runs rounds.
 *
 * @param fractionFit         share of available clients asked to train each round, in (0, 1]
 * @param minFitClients       fewest clients a round trains with
 * @param minAvailableClients fewest connected clients needed to start or continue
 * @param roundTimeout        how long a round waits for its slowest client
 */
public record StrategySpec(String name, double fractionFit, int minFitClients, int minAvailableClients,
                           Duration roundTimeout) {
}
