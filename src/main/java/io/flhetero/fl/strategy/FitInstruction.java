package io.flhetero.fl.strategy;

import io.flhetero.policy.TrainingPlan;

/**
 * What one client is asked to do in a round's training step. Batch size, learning rate and local epochs of 0
 * mean "the client's own" (its device class in the profile).
 *
 * @param maxSteps        the most batches to train; 0: all of its local epochs
 * @param deadlineSeconds device time after which the client stops and returns the work it did; 0: none
 * @param proximalMu      FedProx's mu for the local training; 0: none
 */
public record FitInstruction(ClientProxy client, int round, float[] parameters, int batchSize, double learningRate,
                             int localEpochs, int maxSteps, double deadlineSeconds, double proximalMu) {

    public static FitInstruction of(ClientProxy client, int round, float[] parameters, TrainingPlan plan,
                                    double deadlineSeconds, double proximalMu) {
        return new FitInstruction(client, round, parameters, plan.batchSize(), plan.learningRate(), plan.localEpochs(),
                plan.maxSteps(), deadlineSeconds, proximalMu);
    }
}
