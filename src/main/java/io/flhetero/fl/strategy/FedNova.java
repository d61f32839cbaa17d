package io.flhetero.fl.strategy;

import io.flhetero.fl.api.FitOutcome;
import io.flhetero.policy.TrainingPolicy;
import io.flhetero.profile.StrategySpec;

import java.util.List;

/**
 * FedNova (Wang et al., 2020): normalised averaging for clients that did different amounts of local work.
 * Each client's update is divided by its number of local steps before averaging, and the average is scaled
 * by the weighted mean step count: w = w_global - tau_eff * sum_i p_i (w_global - w_i) / tau_i, with p_i its
 * share of the training data (as in the paper: not of this round's work) and tau_eff = sum_i p_i tau_i. Plain FedAvg would let clients with more steps pull the
 * model towards their own objective.
 */
public final class FedNova extends FedAvg {

    public FedNova(StrategySpec spec, long seed, TrainingPolicy policy, MemoryKills memoryKills) {
        super(spec, seed, policy, memoryKills);
    }

    public FedNova(double fractionFit, int minFitClients, long seed) {
        super(fractionFit, minFitClients, seed);
    }

    @Override
    protected float[] combine(float[] global, List<FitOutcome> contributed) {
        double data = contributed.stream().mapToDouble(FitOutcome::dataExamples).sum();
        double tauEffective = contributed.stream().mapToDouble(r -> r.dataExamples() / data * r.steps()).sum();
        double[] direction = new double[global.length];
        for (FitOutcome r : contributed) {
            double weight = r.dataExamples() / data / r.steps();
            float[] w = r.parameters();
            for (int i = 0; i < global.length; i++) {
                direction[i] += weight * (global[i] - w[i]);
            }
        }
        float[] next = new float[global.length];
        for (int i = 0; i < global.length; i++) {
            next[i] = (float) (global[i] - tauEffective * direction[i]);
        }
        return next;
    }
}
