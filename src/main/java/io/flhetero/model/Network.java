package io.flhetero.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A MobileNetV2 that a client trains: one Adam step at a time on a batch, inference for evaluation. Its parameters
 * are those of a DL4J {@link ComputationGraph} ({@link #graph()}): its flat vector is what {@link ParameterVector}
 * reads and writes, what the wire carries and what a run saves, whichever engine trains it.
 */
public interface Network {

    /** The graph that owns the parameters. */
    ComputationGraph graph();

    /** Overwrites all parameters (BatchNorm statistics included) with a vector of {@link ParameterVector}'s layout. */
    default void writeParameters(float[] values) {
        ParameterVector.write(graph(), values);
    }

    /** A copy of all parameters. */
    default float[] readParameters() {
        return ParameterVector.read(graph());
    }

    /** One training step on NCHW features [b, 3, 32, 32] and one-hot labels [b, 10]. */
    Step fit(INDArray features, INDArray labels);

    /** Class probabilities [b, 10] of NCHW features, BatchNorm on its running statistics. */
    INDArray output(INDArray features);

    void setLearningRate(double learningRate);

    /** Called before the round's {@code step}-th batch (1 for the first): see {@link RoundBatchNorm}. */
    void beforeStep(int step);

    /**
     * From the next step on, adds FedProx's proximal term mu/2 |w - anchor|^2 to the loss of the trained weights
     * (BatchNorm's running statistics are not trained); mu 0 removes it.
     */
    void setProximalTerm(float[] anchor, double mu);

    /** A copy of the optimizer's state, for a checkpoint. */
    OptimizerState optimizerState();

    /** Continues from a state {@link #optimizerState()} returned, for a resumed run. */
    void restoreOptimizerState(OptimizerState state);
}
