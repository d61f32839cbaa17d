package io.flhetero.fl.client;

/**
 * What a client measured while training one round.
 *
 * @param cpuSeconds CPU time of the training thread, which the local runtime turns into device time
 */
public record LocalTraining(float[] parameters, int examples, int steps, int plannedSteps, int batchSize, double loss,
                            double accuracy, double wallSeconds, double cpuSeconds) {
}
