package io.flhetero.fl.client;

/**
 * What a client trains in one round, with its own defaults already filled in.
 *
 * @param maxSteps   the most batches; 0: all of its local epochs
 * @param proximalMu FedProx's mu; 0: plain local training
 */
public record LocalWork(int batchSize, double learningRate, int localEpochs, int maxSteps, double proximalMu) {

    public static LocalWork epochs(int batchSize, double learningRate, int localEpochs) {
        return new LocalWork(batchSize, learningRate, localEpochs, 0, 0);
    }

    public LocalWork withMaxSteps(int steps) {
        return new LocalWork(batchSize, learningRate, localEpochs, steps, proximalMu);
    }

    public LocalWork withProximalMu(double mu) {
        return new LocalWork(batchSize, learningRate, localEpochs, maxSteps, mu);
    }
}
