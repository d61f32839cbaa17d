package io.flhetero.fl.strategy;

/**
 * A client's answer to a fit: its new parameters and how the training went.
 *
 * @param examples         training examples it used, the FedAvg weight
 * @param fitSeconds       wall time the client spent training
 * @param simulatedSeconds how long the same work would take on the client's device (equal to fitSeconds on a
 *                         real device)
 * @param memoryBytes      the client's memory while training: its process's resident size on a real device,
 *                         the estimate in-process
 */
public record FitOutcome(String clientId, float[] parameters, int examples, double trainLoss, double trainAccuracy,
                         double fitSeconds, double simulatedSeconds, int batchSize, int steps, long memoryBytes) {

    public FitOutcome(String clientId, float[] parameters, int examples, double trainLoss, double trainAccuracy,
                      double fitSeconds, double simulatedSeconds, int batchSize, int steps) {
        this(clientId, parameters, examples, trainLoss, trainAccuracy, fitSeconds, simulatedSeconds, batchSize, steps, 0);
    }

    public double samplesPerSecond() {
        return fitSeconds > 0 ? examples / fitSeconds : 0;
    }
}
