package io.flhetero.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * BatchNorm's running statistics, restarted at every round: before a round's k-th local step each BatchNorm layer
 * moves its statistics by max(1 - momentum, 1/k) towards the batch's, so they are the plain average of the round's
 * batches until there are enough of them for the configured momentum, and its exponential average after that.
 *
 * <p>Why: a client starts each round from the global statistics, averaged from statistics of older weights. With
 * a fixed momentum m only m^k of them is replaced in k steps, and a client that takes few steps (a weak device
 * under the capacity policy takes 2 a round) hands back statistics that no longer describe the model's weights.
 * Measured on Fashion-MNIST (stragglers mix, capacity policy, momentum 0.9): evaluation stayed at chance with the
 * loss rising in fl-hetero and in a PyTorch replay alike; with the restart both learn (docs/BENCHMARKS.md). Clients
 * that take many steps a round are barely changed: after 1/(1-m) steps it is the usual moving average.
 */
public final class RoundBatchNorm {

    private final List<BatchNormalization> layers = new ArrayList<>();
    private final double momentum;

    public RoundBatchNorm(ComputationGraph model) {
        double m = Double.NaN;
        for (Layer layer : model.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization bn) {
                layers.add(bn);
                m = bn.getDecay();
            }
        }
        this.momentum = m;
    }

    /** Sets the layers' momentum for the round's {@code step}-th batch (1 for the first). */
    public void beforeStep(int step) {
        double decay = momentumForStep(momentum, step);
        for (BatchNormalization bn : layers) {
            bn.setDecay(decay);
        }
    }

    /** The rule itself: the BatchNorm momentum for the round's {@code step}-th batch of a model built with {@code momentum}. */
    public static double momentumForStep(double momentum, int step) {
        return Math.min(momentum, (step - 1) / (double) step);
    }

    /** The momentum the model was built with, which the restart gives way to. */
    public double momentum() {
        return momentum;
    }
}
