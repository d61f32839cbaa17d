package io.flhetero.model.fused;

import io.flhetero.model.MobileNetV2;
import io.flhetero.model.Network;
import io.flhetero.model.OptimizerState;
import io.flhetero.model.RoundBatchNorm;
import io.flhetero.model.Step;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a DL4J ComputationGraph's own parameters without DL4J's layers: the graph is compiled into a chain of
 * nodes on NHWC buffers that are allocated once for the largest batch seen. 1x1 convolutions are BLAS products
 * ({@link Pointwise}); the stem and the depthwise forward pass are libnd4j's oneDNN operations; the depthwise
 * backward pass, BatchNorm with ReLU6, residual adds and the classifier are Java loops that C2 vectorises; Adam is
 * DL4J's updater operation on the flat vector; inference folds each BatchNorm into its convolution. DL4J's layers
 * run every convolution as im2col + gemm and BatchNorm as ~20 small operations, about five times slower
 * (docs/BENCHMARKS.md has the profiles and the side-by-side figures against PyTorch).
 *
 * <p>It compiles the layers MobileNetV2 is made of (convolution without bias in "same" mode, depthwise convolution,
 * BatchNorm optionally followed by ReLU6, element-wise add, global average pooling, softmax output with
 * cross-entropy) and refuses anything else by name. Not thread-safe: one client, one thread at a time.
 */
public final class FusedNetwork implements Network {

    private final ComputationGraph graph;
    private final Parameters parameters;
    private final HeapArrays arrays = new HeapArrays();
    private final ImageInput input;
    private final List<Node> nodes = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    /** BatchNorms applied by their convolution at inference, refreshed when the parameters have changed. */
    private final List<FoldedBatchNorm> folds = new ArrayList<>();
    private boolean foldsStale = true;
    private final ClassifierHead head;
    private final double momentum;
    private double learningRate;
    private OperationTimes timing = OperationTimes.OFF;
    private float[] proximalAnchor;
    private double proximalMu;

    /** @param height, width, channels the shape of the graph's input images */
    /** The network clients train: a fresh MobileNetV2's parameters on the fused engine. */
    public static FusedNetwork of(MobileNetV2 model) {
        return new FusedNetwork(model.build(), MobileNetV2.HEIGHT, MobileNetV2.WIDTH, MobileNetV2.CHANNELS);
    }

    public FusedNetwork(ComputationGraph graph, int height, int width, int channels) {
        this.graph = graph;
        this.parameters = new Parameters(graph);
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("only graphs with one input and one output can be compiled");
        }
        this.input = new ImageInput(conf.getNetworkInputs().get(0), height, width, channels);
        Map<String, Node> byName = new HashMap<>();
        byName.put(input.name, input);
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> vertexInputs = conf.getVertexInputs();
        Map<String, Integer> consumers = new HashMap<>();
        vertexInputs.values().forEach(list -> list.forEach(n -> consumers.merge(n, 1, Integer::sum)));
        GlobalPoolingLayer pooling = null;
        String poolingInput = null;
        ClassifierHead classifier = null;
        double m = Double.NaN;
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex vertex = vertices.get(name);
            if (vertex == null) {
                continue; // the network input
            }
            List<String> from = vertexInputs.get(name);
            Node in = byName.get(from.get(0));
            if (vertex instanceof ElementWiseVertex add) {
                if (add.getOp() != ElementWiseVertex.Op.Add || from.size() != 2) {
                    throw unsupported(name, "an element-wise vertex other than a two-input add");
                }
                add(byName, new Add(name, in, byName.get(from.get(1))));
                continue;
            }
            if (!(vertex instanceof LayerVertex layerVertex)) {
                throw unsupported(name, vertex.getClass().getSimpleName());
            }
            Layer layer = layerVertex.getLayerConf().getLayer();
            if (layer instanceof DepthwiseConvolution2D dw) {
                requireSameConvolution(name, dw);
                if (dw.getDepthMultiplier() != 1) {
                    throw unsupported(name, "a depthwise convolution with a depth multiplier other than 1");
                }
                add(byName, new Depthwise(name, in, parameters, arrays, dw.getKernelSize()[0], dw.getStride()[0],
                        parameters.slot(name, "W", true)));
            } else if (layer instanceof ConvolutionLayer conv) {
                requireSameConvolution(name, conv);
                Parameters.Slot weights = parameters.slot(name, "W", true);
                add(byName, conv.getKernelSize()[0] == 1 && conv.getStride()[0] == 1
                        ? new Pointwise(name, in, (int) conv.getNOut(), weights)
                        : new Convolution(name, in, (int) conv.getNOut(), conv.getKernelSize()[0],
                        conv.getStride()[0], weights));
            } else if (layer instanceof BatchNormalization bn) {
                if (bn.isUseLogStd() || bn.isLockGammaBeta()) {
                    throw unsupported(name, "BatchNorm with log std or locked gamma/beta");
                }
                boolean relu6 = followedOnlyByRelu6(name, vertices, vertexInputs, consumers);
                BatchNorm node = new BatchNorm(name, in, parameters, arrays, parameters.slot(name, "gamma", true),
                        parameters.slot(name, "beta", true), parameters.slot(name, "mean", false),
                        parameters.slot(name, "var", false), bn.getEps(), bn.getDecay(), relu6);
                batchNorms.add(node);
                FoldedBatchNorm fold = consumers.getOrDefault(from.get(0), 0) == 1
                        ? in.foldBatchNorm(node, parameters) : null;
                if (fold != null) {
                    folds.add(fold);
                    node.foldedInto();
                }
                m = bn.getDecay();
                add(byName, node);
            } else if (layer instanceof ActivationLayer act) {
                if (!(act.getActivationFn() instanceof ActivationReLU6) || !(in instanceof BatchNorm bn && bn.appliesRelu6())) {
                    throw unsupported(name, "an activation layer other than ReLU6 after BatchNorm");
                }
                byName.put(name, in); // applied by the BatchNorm before it
            } else if (layer instanceof GlobalPoolingLayer gp) {
                if (gp.getPoolingType() != PoolingType.AVG) {
                    throw unsupported(name, "global pooling other than average");
                }
                pooling = gp;
                poolingInput = from.get(0);
                byName.put(name, in);
            } else if (layer instanceof OutputLayer output) {
                if (pooling == null || !(output.getActivationFn() instanceof ActivationSoftmax)
                        || !(output.getLossFn() instanceof LossMCXENT) || !output.hasBias()) {
                    throw unsupported(name, "an output layer other than softmax with cross-entropy after average pooling");
                }
                classifier = new ClassifierHead(name, byName.get(poolingInput), parameters.slot(name, "W", true),
                        parameters.slot(name, "b", true), (int) output.getNOut());
                add(byName, classifier);
            } else {
                throw unsupported(name, layer.getClass().getSimpleName());
            }
        }
        if (classifier == null) {
            throw new IllegalArgumentException("the graph has no softmax output layer");
        }
        this.head = classifier;
        this.momentum = m;
        if (!(((BaseLayer) ((LayerVertex) vertices.get(head.name)).getLayerConf()
                .getLayer()).getIUpdater() instanceof Adam adam)) {
            throw unsupported(head.name, "an updater other than Adam (with DL4J's default betas and epsilon)");
        }
        this.learningRate = adam.getLearningRate();
    }

    private void add(Map<String, Node> byName, Node node) {
        nodes.add(node);
        byName.put(node.name, node);
    }

    private static boolean followedOnlyByRelu6(String name, Map<String, GraphVertex> vertices,
                                               Map<String, List<String>> vertexInputs, Map<String, Integer> consumers) {
        if (consumers.getOrDefault(name, 0) != 1) {
            return false;
        }
        for (Map.Entry<String, List<String>> e : vertexInputs.entrySet()) {
            if (e.getValue().contains(name) && vertices.get(e.getKey()) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof ActivationLayer act) {
                return act.getActivationFn() instanceof ActivationReLU6;
            }
        }
        return false;
    }

    private static void requireSameConvolution(String name, ConvolutionLayer conv) {
        int[] k = conv.getKernelSize();
        int[] s = conv.getStride();
        int[] d = conv.getDilation();
        if (conv.getConvolutionMode() != ConvolutionMode.Same || conv.hasBias() || k[0] != k[1] || s[0] != s[1]
                || d[0] != 1 || d[1] != 1 || !(conv.getActivationFn() instanceof ActivationIdentity)) {
            throw unsupported(name, "a convolution other than square, undilated, without bias or activation, "
                    + "in \"same\" mode");
        }
    }

    private static IllegalArgumentException unsupported(String name, String what) {
        return new IllegalArgumentException("cannot compile layer " + name + ": " + what + " is not supported");
    }

    @Override
    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public void writeParameters(float[] values) {
        Network.super.writeParameters(values);
        foldsStale = true;
    }

    @Override
    public Step fit(INDArray features, INDArray labels) {
        foldsStale = true;
        double loss = computeGradient(features, labels);
        int correct = head.correct((int) features.size(0));
        if (proximalMu > 0) {
            parameters.addProximalTerm(proximalAnchor, proximalMu);
        }
        long start = System.nanoTime();
        parameters.adamStep(learningRate);
        timing.add("Adam", start);
        return new Step(loss, correct);
    }

    /** Forward and backward pass: the batch's mean loss, its gradient left in {@link #gradient()}. */
    double computeGradient(INDArray features, INDArray labels) {
        int batch = (int) features.size(0);
        forward(features, batch, true);
        head.labels(labels);
        double loss = head.loss(batch);
        input.startBackward();
        for (Node node : nodes) {
            node.startBackward();
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            long start = System.nanoTime();
            node.backward(batch);
            timing.add(node.kind() + " backward", start);
        }
        return loss;
    }

    /** The gradient of the last {@link #computeGradient}, in the parameters' layout. */
    float[] gradient() {
        float[] values = new float[parameters.size()];
        parameters.gradients().get(0, values);
        return values;
    }

    @Override
    public INDArray output(INDArray features) {
        if (foldsStale) {
            folds.forEach(FoldedBatchNorm::refresh);
            foldsStale = false;
        }
        int batch = (int) features.size(0);
        forward(features, batch, false);
        return head.probabilities(batch);
    }

    private void forward(INDArray features, int batch, boolean training) {
        foldsStale |= training; // a training pass moves BatchNorm's running statistics
        input.reserve(batch, training);
        for (Node node : nodes) {
            node.reserve(batch, training);
        }
        long loading = System.nanoTime();
        input.load(features);
        timing.add("input to NHWC", loading);
        for (Node node : nodes) {
            long start = System.nanoTime();
            node.forward(batch, training);
            timing.add(node.kind() + (training ? " forward" : " inference"), start);
        }
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void beforeStep(int step) {
        double m = RoundBatchNorm.momentumForStep(momentum, step);
        for (BatchNorm bn : batchNorms) {
            bn.setMomentum(m);
        }
    }

    @Override
    public void setProximalTerm(float[] anchor, double mu) {
        if (mu > 0 && anchor.length != parameters.size()) {
            throw new IllegalArgumentException("the anchor has " + anchor.length + " values, the model "
                    + parameters.size());
        }
        this.proximalAnchor = mu > 0 ? anchor.clone() : null;
        this.proximalMu = mu;
    }

    @Override
    public OptimizerState optimizerState() {
        return parameters.adamState();
    }

    @Override
    public void restoreOptimizerState(OptimizerState state) {
        parameters.restoreAdamState(state);
    }

    /** Times every operation until {@link #stopTiming}, summed by kind, for profiling; two clock reads each. */
    public OperationTimes startTiming() {
        timing = new OperationTimes();
        return timing;
    }

    public void stopTiming() {
        timing = OperationTimes.OFF;
    }

    /**
     * Bytes this network allocates to train at {@code batch}, computed from its shapes without allocating: maps and
     * gradients of every node, the Java loops' arrays, parameters with gradient and Adam's state, folded weights.
     */
    public long plannedTrainingBytes(int batch) {
        long total = parameters.bytes() + (long) parameters.size() * Float.BYTES + input.plannedBytes(batch);
        long largestMap = 0;
        for (Node node : nodes) {
            total += node.plannedBytes(batch);
            largestMap = Math.max(largestMap, node.out.imageSize());
        }
        return total + HeapArrays.COUNT * largestMap * batch * Float.BYTES;
    }
}
