package io.flhetero.policy;

/**
 * The training settings a client gets for its rounds, and why.
 *
 * @param batchSize    0: the client's own (the profile's device class)
 * @param learningRate 0: the client's own
 * @param maxSteps     the most batches per round; 0: all of its local epochs
 * @param reason       in words, for the log and the run summary
 */
public record TrainingPlan(int batchSize, double learningRate, int localEpochs, int maxSteps, String reason) {

    public static TrainingPlan clientsOwn(String reason) {
        return new TrainingPlan(0, 0, 0, 0, reason);
    }
}
