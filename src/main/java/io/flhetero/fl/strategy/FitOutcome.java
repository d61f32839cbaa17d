package io.flhetero.fl.strategy;

/**
 * A client's answer to a fit: its new parameters and how the training went.
 *
 * @param examples         training examples it used, the FedAvg weight
 * @param fitSeconds       wall time the client spent training
 * @param simulatedSeconds how long the same work would take on the client's device (equal to fitSeconds on a
 *                         real device)
 */
public record FitOutcome(String clientId, float[] parameters, int examples, double trainLoss, double trainAccuracy,
                         double fitSeconds, double simulatedSeconds, int batchSize, int steps) {

    public double samplesPerSecond() {
        return fitSeconds > 0 ? examples / fitSeconds : 0;
    }
}
