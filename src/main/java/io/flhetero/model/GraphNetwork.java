package io.flhetero.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training through DL4J's own layers ({@link ComputationGraph#fit}): the reference the fused engine is checked
 * against, and its peer in {@code bench train}. About five times slower (docs/BENCHMARKS.md).
 */
public final class GraphNetwork implements Network {

    private final ComputationGraph graph;
    private final RoundBatchNorm batchNorm;
    private INDArray trainedMask;

    public GraphNetwork(ComputationGraph graph) {
        this.graph = graph;
        this.batchNorm = new RoundBatchNorm(graph);
    }

    @Override
    public ComputationGraph graph() {
        return graph;
    }

    /** DL4J's graph keeps no outputs of its training pass: the correct count is not known (-1). */
    @Override
    public Step fit(INDArray features, INDArray labels) {
        graph.fit(new DataSet(features, labels));
        return new Step(graph.score(), -1);
    }

    @Override
    public INDArray output(INDArray features) {
        return graph.outputSingle(false, features);
    }

    @Override
    public void setLearningRate(double learningRate) {
        graph.setLearningRate(learningRate);
    }

    @Override
    public void beforeStep(int step) {
        batchNorm.beforeStep(step);
    }

    /** DL4J's updater state view (Adam's m and v by layer) and the graph's iteration count. */
    @Override
    public OptimizerState optimizerState() {
        INDArray view = graph.getUpdater(true).getStateViewArray();
        return new OptimizerState(view.dup().data().asFloat(), graph.getConfiguration().getIterationCount());
    }

    @Override
    public void restoreOptimizerState(OptimizerState state) {
        INDArray view = graph.getUpdater(true).getStateViewArray();
        if (state.moments().length != view.length()) {
            throw new IllegalArgumentException("the optimizer state has " + state.moments().length + " values, this "
                    + "network's updater " + view.length());
        }
        view.assign(Nd4j.createFromArray(state.moments()).reshape(view.shape()));
        graph.getConfiguration().setIterationCount(state.iteration());
    }

    @Override
    public void setProximalTerm(float[] anchor, double mu) {
        if (mu <= 0) {
            graph.setListeners();
            return;
        }
        if (trainedMask == null) {
            trainedMask = ProximalTerm.trainedMask(graph);
        }
        graph.setListeners(new ProximalTerm(mu, Nd4j.createFromArray(anchor).reshape(graph.params().shape()),
                trainedMask));
    }
}
