package io.flhetero.fl.api;

/**
 * A client's answer to a fit: its new parameters and how the training went.
 *
 * @param examples         training examples it went through this round (its throughput)
 * @param fitSeconds       wall time the client spent training
 * @param simulatedSeconds how long the work took on the client's device, receiving and sending the parameters
 *                         included (on a real device its wall time)
 * @param memoryBytes      the client's memory while training: its process's resident size on a real device,
 *                         the estimate in-process
 * @param plannedSteps     the batches it was asked for; more than {@code steps} when a deadline stopped it
 * @param dataExamples     the size of its training set, its aggregation weight (McMahan et al.'s n_k, the original
 *                         example's {@code len(x_train)}); equal to {@code examples} for one full epoch, larger
 *                         when the client was given less work
 * @param transferSeconds  the part of {@code simulatedSeconds} spent receiving and sending parameters over the
 *                         device's link
 */
public record FitOutcome(String clientId, float[] parameters, int examples, double trainLoss, double trainAccuracy,
                         double fitSeconds, double simulatedSeconds, int batchSize, int steps, long memoryBytes,
                         int plannedSteps, int dataExamples, double transferSeconds) {

    /** Work on an unlimited link: no transfer time. */
    public FitOutcome(String clientId, float[] parameters, int examples, double trainLoss, double trainAccuracy,
                      double fitSeconds, double simulatedSeconds, int batchSize, int steps, long memoryBytes,
                      int plannedSteps, int dataExamples) {
        this(clientId, parameters, examples, trainLoss, trainAccuracy, fitSeconds, simulatedSeconds, batchSize, steps,
                memoryBytes, plannedSteps, dataExamples, 0);
    }

    /** A client that went through its whole training set once. */
    public FitOutcome(String clientId, float[] parameters, int examples, double trainLoss, double trainAccuracy,
                      double fitSeconds, double simulatedSeconds, int batchSize, int steps) {
        this(clientId, parameters, examples, trainLoss, trainAccuracy, fitSeconds, simulatedSeconds, batchSize, steps, 0,
                steps, examples);
    }

    /** Whether a deadline cut the client's work short. */
    public boolean partial() {
        return steps < plannedSteps;
    }

    /**
     * The device time the whole planned work would have taken, estimated from the part done; its transfers take as
     * long whatever the work.
     */
    public double fullWorkSeconds() {
        return steps == 0 ? simulatedSeconds
                : transferSeconds + (simulatedSeconds - transferSeconds) * plannedSteps / steps;
    }

    public double samplesPerSecond() {
        return fitSeconds > 0 ? examples / fitSeconds : 0;
    }
}
