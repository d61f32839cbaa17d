package io.flhetero.fl.server;

/** The run cannot go on: fewer clients are left than the strategy's min_available_clients. */
public class TooFewClientsException extends RuntimeException {

    public TooFewClientsException(String message) {
        super(message);
    }
}
