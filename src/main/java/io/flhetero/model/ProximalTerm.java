package io.flhetero.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Set;

/**
 * FedProx's proximal term (Li et al., 2020): local training minimises loss + mu/2 * |w - w_global|^2, so each
 * gradient gains mu * (w - w_global). DL4J calls {@link #onGradientCalculation} after backpropagation and
 * before the updater (Adam) turns the gradient into a step, which is where the term belongs. BatchNorm's running
 * mean and variance are statistics, not trained weights (DL4J carries their updates in the gradient array), so
 * they are masked out.
 */
public final class ProximalTerm extends BaseTrainingListener {

    private static final Set<String> STATISTICS = Set.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    private final double mu;
    private final INDArray anchor;
    private final INDArray mask;

    /** @param anchor the round's global parameters, in the model's flattened order */
    public ProximalTerm(double mu, INDArray anchor, INDArray mask) {
        this.mu = mu;
        this.anchor = anchor;
        this.mask = mask;
    }

    /** 1 for every trained parameter of {@code model}, 0 for BatchNorm's running statistics. */
    public static INDArray trainedMask(ComputationGraph model) {
        INDArray params = model.params();
        INDArray saved = params.dup();
        model.paramTable().forEach((key, view) -> view.assign(STATISTICS.contains(key.substring(key.lastIndexOf('_') + 1))
                ? 0 : 1));
        INDArray mask = params.dup();
        params.assign(saved);
        return mask;
    }

    /** True for BatchNorm's running statistics, in the layout of {@code model}'s parameter vector. */
    public static boolean[] statistics(ComputationGraph model) {
        float[] trained = trainedMask(model).data().asFloat();
        boolean[] statistics = new boolean[trained.length];
        for (int i = 0; i < trained.length; i++) {
            statistics[i] = trained[i] == 0;
        }
        return statistics;
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray gradient = model.gradient().gradient();
        gradient.addi(model.params().sub(anchor).muli(mask).muli(mu));
    }
}
