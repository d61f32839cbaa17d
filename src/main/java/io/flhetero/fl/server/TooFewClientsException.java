package io.flhetero.fl.server;

import io.flhetero.fl.api.Failure;

import java.util.List;

/** The run cannot go on: fewer clients are left than the strategy's min_available_clients. */
public class TooFewClientsException extends RuntimeException {

    public TooFewClientsException(String message) {
        super(message);
    }

    /**
     * Throws when {@code left} clients are fewer than {@code minAvailable}, naming those {@code failures} removed.
     *
     * @param when "after round 3", "at version 7"
     */
    static void require(int left, int minAvailable, String when, List<Failure> failures) {
        if (left >= minAvailable) {
            return;
        }
        String lost = failures.stream().filter(f -> f.reason().fatal())
                .map(f -> f.clientId() + " (" + f.reason().label() + ")").distinct()
                .reduce((a, b) -> a + ", " + b).orElse("none this time");
        throw new TooFewClientsException("only " + left + " client" + (left == 1 ? "" : "s") + " left " + when
                + ", fewer than min_available_clients " + minAvailable + "; lost: " + lost
                + ". Lower strategy.min_available_clients or give the devices more memory");
    }
}
