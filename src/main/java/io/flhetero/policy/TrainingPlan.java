package io.flhetero.policy;

import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.RegisteredClient;

/**
 * The training settings a policy gives a client for its rounds, and why.
 *
 * @param reason in words, for the log and the run summary
 */
public record TrainingPlan(FitConfig config, String reason) {

    /** The device class's own settings, as the profile states them. */
    public static TrainingPlan clientsOwn(RegisteredClient client, String reason) {
        return new TrainingPlan(client.ownSettings(), reason);
    }

    /**
     * The plan for a client killed for memory {@code kills} times: its batch halved for each (down to 1), the
     * learning rate scaled with it (the linear rule), and a step cap raised so that a round covers the same
     * examples.
     */
    public TrainingPlan afterOomKills(int kills) {
        if (kills <= 0 || config.batchSize() <= 1) {
            return this;
        }
        int batch = Math.max(1, config.batchSize() >> Math.min(kills, 30));
        double rate = config.learningRate() * batch / config.batchSize();
        return new TrainingPlan(config.withBatch(batch, rate), reason + "; batch " + batch + " after " + kills
                + " OOM kill" + (kills == 1 ? "" : "s"));
    }
}
