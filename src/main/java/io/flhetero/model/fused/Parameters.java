package io.flhetero.model.fused;

import io.flhetero.model.OptimizerState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The graph's flat parameter vector, trained in place, with a gradient vector of the same layout and Adam's state.
 * Every array a layer trains is a slot: a range of the vector, seen as the graph's own view of it for ND4J and as
 * an offset into the flat buffers for loops in Java. BatchNorm's running statistics are slots that are written by
 * the forward pass and never get a gradient, so Adam leaves them alone (a zero gradient is a zero step).
 */
final class Parameters {

    /** Adam's defaults in DL4J and Keras. */
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /** A parameter array of one layer. */
    record Slot(int offset, int length, INDArray values, INDArray gradient) {
    }

    private final ComputationGraph graph;
    private final INDArray flat;
    private final FloatBuffer values;
    private final INDArray gradient;
    private final FloatBuffer gradients;
    private final INDArray adamM;
    private final INDArray adamV;
    private final boolean[] trained;
    private int iteration;

    Parameters(ComputationGraph graph) {
        this.graph = graph;
        this.flat = graph.params();
        if (flat.offset() != 0 || !flat.isVector() || flat.ordering() != 'c') {
            throw new IllegalStateException("the graph's parameters are not one flat vector");
        }
        int n = (int) flat.length();
        this.values = floats(flat);
        this.gradient = Nd4j.create(DataType.FLOAT, flat.shape());
        this.gradients = floats(gradient);
        this.adamM = Nd4j.create(DataType.FLOAT, flat.shape());
        this.adamV = Nd4j.create(DataType.FLOAT, flat.shape());
        this.trained = new boolean[n];
    }

    private static FloatBuffer floats(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The slot of {@code layer}'s parameter {@code key} (DL4J's names: W, b, gamma, beta, mean, var). */
    Slot slot(String layer, String key, boolean trainedByGradient) {
        Map<String, INDArray> table = graph.paramTable();
        INDArray view = table.get(layer + "_" + key);
        if (view == null) {
            throw new IllegalStateException("layer " + layer + " has no parameter " + key);
        }
        int offset = (int) view.offset();
        int length = (int) view.length();
        INDArray grad = gradient.reshape(gradient.length()).get(NDArrayIndex.interval(offset, offset + length))
                .reshape(view.ordering(), view.shape());
        if (trainedByGradient) {
            for (int i = offset; i < offset + length; i++) {
                trained[i] = true;
            }
        }
        return new Slot(offset, length, view, grad);
    }

    FloatBuffer values() {
        return values;
    }

    FloatBuffer gradients() {
        return gradients;
    }

    int size() {
        return trained.length;
    }

    /** Adds FedProx's mu * (w - anchor) to the gradient of every trained parameter. */
    void addProximalTerm(float[] anchor, double mu) {
        float m = (float) mu;
        for (int i = 0; i < trained.length; i++) {
            if (trained[i]) {
                gradients.put(i, gradients.get(i) + m * (values.get(i) - anchor[i]));
            }
        }
    }

    /** One Adam step with DL4J's updater op, so the arithmetic is DL4J's own; the iteration count persists. */
    void adamStep(double learningRate) {
        Nd4j.exec(new AdamUpdater(gradient, adamV, adamM, learningRate, BETA1, BETA2, EPSILON, iteration++));
        flat.subi(gradient);
    }

    /** Adam's moments (m, then v) and step count. */
    OptimizerState adamState() {
        float[] moments = new float[2 * trained.length];
        System.arraycopy(adamM.data().asFloat(), 0, moments, 0, trained.length);
        System.arraycopy(adamV.data().asFloat(), 0, moments, trained.length, trained.length);
        return new OptimizerState(moments, iteration);
    }

    void restoreAdamState(OptimizerState state) {
        if (state.moments().length != 2 * trained.length) {
            throw new IllegalArgumentException("the optimizer state has " + state.moments().length + " values, this "
                    + "network's Adam state " + 2 * trained.length);
        }
        floats(adamM).put(state.moments(), 0, trained.length);
        floats(adamV).put(state.moments(), trained.length, trained.length);
        iteration = state.iteration();
    }

    /** Bytes of the graph's parameters, their gradient and Adam's two moments. */
    long bytes() {
        return 4L * trained.length * Float.BYTES;
    }
}
