package io.flhetero.fl.api;

/**
 * A client's evaluation of the global model on its own test split.
 *
 * @param simulatedSeconds how long the evaluation took on the client's device, receiving the model included (on a
 *                         real device its wall time); 0 when evaluated elsewhere (on the server)
 * @param transferSeconds  the part of it spent receiving the model over the device's link
 */
public record EvaluateOutcome(String clientId, double loss, double accuracy, int examples, double simulatedSeconds,
                              double transferSeconds) {

    /** An evaluation that took no device time (the server's, or a test's). */
    public EvaluateOutcome(String clientId, double loss, double accuracy, int examples) {
        this(clientId, loss, accuracy, examples, 0, 0);
    }

    public EvaluateOutcome withTime(double newSimulatedSeconds, double newTransferSeconds) {
        return new EvaluateOutcome(clientId, loss, accuracy, examples, newSimulatedSeconds, newTransferSeconds);
    }
}
