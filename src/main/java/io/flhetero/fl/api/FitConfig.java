package io.flhetero.fl.api;

/**
 * What a client trains in one round, fully resolved: the server fills in the device class's own settings
 * ({@link RegisteredClient#ownSettings()}) before anything is sent, so no field means "the client's own".
 *
 * @param maxSteps        the most batches; 0: all of its local epochs
 * @param deadlineSeconds device time after which the client stops and returns the steps it did; 0: none
 * @param proximalMu      FedProx's mu for the local training; 0: plain local training
 */
public record FitConfig(int batchSize, double learningRate, int localEpochs, int maxSteps, double deadlineSeconds,
                        double proximalMu) {

    public FitConfig {
        if (batchSize < 1 || !(learningRate > 0) || localEpochs < 1 || maxSteps < 0 || !(deadlineSeconds >= 0)
                || !(proximalMu >= 0)) {
            throw new IllegalArgumentException("not a valid fit configuration: " + batchSize + " per batch, learning "
                    + "rate " + learningRate + ", " + localEpochs + " epochs, " + maxSteps + " steps, deadline "
                    + deadlineSeconds + " s, mu " + proximalMu);
        }
    }

    /** All of {@code localEpochs} epochs, no deadline, no proximal term. */
    public static FitConfig epochs(int batchSize, double learningRate, int localEpochs) {
        return new FitConfig(batchSize, learningRate, localEpochs, 0, 0, 0);
    }

    public FitConfig withMaxSteps(int steps) {
        return new FitConfig(batchSize, learningRate, localEpochs, steps, deadlineSeconds, proximalMu);
    }

    public FitConfig withDeadline(double seconds) {
        return new FitConfig(batchSize, learningRate, localEpochs, maxSteps, seconds, proximalMu);
    }

    public FitConfig withProximalMu(double mu) {
        return new FitConfig(batchSize, learningRate, localEpochs, maxSteps, deadlineSeconds, mu);
    }

    /** The same work at another batch size and learning rate; the step cap scaled so it covers the same examples. */
    public FitConfig withBatch(int batch, double rate) {
        int steps = maxSteps == 0 ? 0 : (int) Math.ceil(maxSteps * (double) batchSize / batch);
        return new FitConfig(batch, rate, localEpochs, steps, deadlineSeconds, proximalMu);
    }
}
