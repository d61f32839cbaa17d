package io.flhetero.fl.strategy;

/**
 * What one client is asked to do in a round's training step. The batch size, learning rate and local epochs
 * come from the client's device settings; a strategy may override them here (0 means "the client's own").
 */
public record FitInstruction(ClientProxy client, int round, float[] parameters, int batchSize, double learningRate,
                             int localEpochs) {

    public static FitInstruction withClientSettings(ClientProxy client, int round, float[] parameters) {
        return new FitInstruction(client, round, parameters, 0, 0, 0);
    }
}
