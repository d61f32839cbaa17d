package io.flhetero.policy;

import io.flhetero.fl.strategy.ClientProxy;

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

    /**
     * The plan for a client killed for memory {@code kills} times: its batch halved for each (down to 1), the
     * learning rate scaled with it (the linear rule), and a step cap raised so that a round covers the same
     * examples. Unchanged when the batch size is not known.
     */
    public TrainingPlan afterOomKills(int kills, ClientProxy client) {
        int from = batchSize > 0 ? batchSize : client.batchSize();
        double rate = learningRate > 0 ? learningRate : client.learningRate();
        if (kills <= 0 || from <= 1 || rate <= 0) {
            return this;
        }
        int batch = Math.max(1, from >> Math.min(kills, 30));
        double scale = batch / (double) from;
        int steps = maxSteps == 0 ? 0 : (int) Math.ceil(maxSteps / scale);
        return new TrainingPlan(batch, rate * scale, localEpochs, steps, reason + "; batch " + batch + " after "
                + kills + " OOM kill" + (kills == 1 ? "" : "s"));
    }
}
