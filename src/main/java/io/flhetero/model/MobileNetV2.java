package io.flhetero.model;

import io.flhetero.profile.ModelSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * MobileNetV2 as a DL4J ComputationGraph that follows Keras' {@code MobileNetV2(input_shape=(32, 32, 3),
 * alpha, classes=10, weights=None)} layer for layer: same channel rounding, same residual adds, BatchNorm with
 * Keras' epsilon (1e-3) and, by default, momentum (0.999), ReLU6, Glorot-uniform initialisation, Adam.
 *
 * <p>With momentum 0.999 the running statistics that evaluation uses need ~700 steps to move halfway from
 * their initial values, so short runs evaluate near chance whatever they learned (Keras behaves the same);
 * profiles for short runs lower it (model.batchnorm_momentum).
 *
 * <p>BatchNorm keeps the variance rather than DL4J's default log10(std), so that averaging parameter vectors
 * (FedAvg) averages the same statistics that Keras' {@code get_weights()} exposes.
 */
public final class MobileNetV2 {

    public static final String INPUT = "input";
    public static final String OUTPUT = "predictions";
    public static final int HEIGHT = 32;
    public static final int WIDTH = 32;
    public static final int CHANNELS = 3;

    private static final double BN_EPSILON = 1e-3;
    /** Keras' BatchNorm momentum: the running statistics move 0.1 % towards each batch's. */
    public static final double KERAS_BN_MOMENTUM = 0.999;

    /** Keras' (filters, stride, expansion) for blocks 0..16. */
    private static final int[][] BLOCKS = {
            {16, 1, 1},
            {24, 2, 6}, {24, 1, 6},
            {32, 2, 6}, {32, 1, 6}, {32, 1, 6},
            {64, 2, 6}, {64, 1, 6}, {64, 1, 6}, {64, 1, 6},
            {96, 1, 6}, {96, 1, 6}, {96, 1, 6},
            {160, 2, 6}, {160, 1, 6}, {160, 1, 6},
            {320, 1, 6},
    };

    private final double alpha;
    private final int classes;
    private final double learningRate;
    private final double batchNormMomentum;
    private final long seed;

    public MobileNetV2(double alpha, int classes, double learningRate, double batchNormMomentum, long seed) {
        this.alpha = alpha;
        this.classes = classes;
        this.learningRate = learningRate;
        this.batchNormMomentum = batchNormMomentum;
        this.seed = seed;
    }

    /** Keras' MobileNetV2 for CIFAR-10, BatchNorm momentum included. */
    public static MobileNetV2 forCifar10(double alpha, double learningRate, long seed) {
        return new MobileNetV2(alpha, 10, learningRate, KERAS_BN_MOMENTUM, seed);
    }

    /** The model a profile names. */
    public static MobileNetV2 of(ModelSpec spec, double learningRate, long seed) {
        return new MobileNetV2(spec.alpha(), 10, learningRate, spec.batchNormMomentum(), seed);
    }

    public ComputationGraph build() {
        ComputationGraph graph = new ComputationGraph(configuration());
        graph.init();
        return graph;
    }

    public ComputationGraphConfiguration configuration() {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(HEIGHT, WIDTH, CHANNELS));

        int channels = makeDivisible(32 * alpha, 8);
        String x = convBnRelu(g, "Conv1", INPUT, channels, 3, 2);
        for (int id = 0; id < BLOCKS.length; id++) {
            int filters = makeDivisible((int) (BLOCKS[id][0] * alpha), 8);
            x = invertedResidual(g, id, x, channels, filters, BLOCKS[id][1], BLOCKS[id][2]);
            channels = filters;
        }
        int lastFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
        x = convBnRelu(g, "Conv_1", x, lastFilters, 1, 1);
        g.addLayer("global_average_pooling", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        g.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes).activation(Activation.SOFTMAX).build(), "global_average_pooling");
        return g.setOutputs(OUTPUT).build();
    }

    private String invertedResidual(GraphBuilder g, int id, String input, int inChannels, int filters,
                                           int stride, int expansion) {
        String prefix = id == 0 ? "expanded_conv_" : "block_" + id + "_";
        String x = input;
        if (id > 0) {
            x = convBnRelu(g, prefix + "expand", x, expansion * inChannels, 1, 1);
        }
        g.addLayer(prefix + "depthwise", new DepthwiseConvolution2D.Builder(3, 3).stride(stride, stride)
                .depthMultiplier(1).hasBias(false).activation(Activation.IDENTITY).build(), x);
        x = bnRelu(g, prefix + "depthwise", prefix + "depthwise");
        g.addLayer(prefix + "project", conv(filters, 1, 1), x);
        g.addLayer(prefix + "project_BN", batchNorm(), prefix + "project");
        if (inChannels == filters && stride == 1) {
            g.addVertex(prefix + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), input, prefix + "project_BN");
            return prefix + "add";
        }
        return prefix + "project_BN";
    }

    private String convBnRelu(GraphBuilder g, String name, String input, int filters, int kernel, int stride) {
        g.addLayer(name, conv(filters, kernel, stride), input);
        return bnRelu(g, name, name);
    }

    /** DL4J's BatchNormalization ignores an activation, so ReLU6 is its own layer, as in Keras. */
    private String bnRelu(GraphBuilder g, String name, String input) {
        g.addLayer(name + "_BN", batchNorm(), input);
        g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU6).build(), name + "_BN");
        return name + "_relu";
    }

    private static ConvolutionLayer conv(int filters, int kernel, int stride) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .hasBias(false).activation(Activation.IDENTITY).build();
    }

    private BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().eps(BN_EPSILON).decay(batchNormMomentum).useLogStd(false).build();
    }

    /** Keras' {@code _make_divisible}: round to a multiple of the divisor, never more than 10 % down. */
    static int makeDivisible(double value, int divisor) {
        int rounded = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
