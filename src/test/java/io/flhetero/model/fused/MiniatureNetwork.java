package io.flhetero.model.fused;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
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
 * Every kind of node MobileNetV2 is made of, in a graph small enough for exact comparisons: a strided 3x3
 * convolution, BatchNorm with and without ReLU6, depthwise convolutions with stride 1 and 2, 1x1 expansions and
 * projections, a residual add, pooling and the classifier, on 8x8 images.
 */
final class MiniatureNetwork {

    static final int SIZE = 8;

    private MiniatureNetwork() {
    }

    static ComputationGraph build() {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Adam(0.001))
                .weightInit(WeightInit.XAVIER_UNIFORM).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(SIZE, SIZE, 3));
        String x = convBnRelu(g, "stem", "input", 8, 3, 2, true);
        x = depthwiseBnRelu(g, "dw1", x, 1);
        String projected = convBnRelu(g, "project1", x, 8, 1, 1, false);
        g.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem_relu", projected);
        x = convBnRelu(g, "expand", "add", 24, 1, 1, true);
        x = depthwiseBnRelu(g, "dw2", x, 2);
        x = convBnRelu(g, "head", x, 32, 1, 1, true);
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                .activation(Activation.SOFTMAX).build(), "pool");
        ComputationGraph graph = new ComputationGraph(g.setOutputs("out").build());
        graph.init();
        return graph;
    }

    private static String convBnRelu(GraphBuilder g, String name, String input, int filters, int kernel, int stride,
                                     boolean relu) {
        g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .hasBias(false).activation(Activation.IDENTITY).build(), input);
        return bnRelu(g, name, relu);
    }

    private static String depthwiseBnRelu(GraphBuilder g, String name, String input, int stride) {
        g.addLayer(name, new DepthwiseConvolution2D.Builder(3, 3).stride(stride, stride).depthMultiplier(1)
                .hasBias(false).activation(Activation.IDENTITY).build(), input);
        return bnRelu(g, name, true);
    }

    private static String bnRelu(GraphBuilder g, String name, boolean relu) {
        g.addLayer(name + "_bn", new BatchNormalization.Builder().eps(1e-3).decay(0.9).useLogStd(false).build(), name);
        if (!relu) {
            return name + "_bn";
        }
        g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU6).build(), name + "_bn");
        return name + "_relu";
    }
}
