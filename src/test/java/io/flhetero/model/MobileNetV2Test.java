package io.flhetero.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MobileNetV2Test {

    /**
     * Expected figures come from Keras' MobileNetV2((32,32,3), alpha, classes=10, weights=None): trainable
     * parameters plus BatchNorm's moving mean and variance, computed independently of this builder.
     */
    @ParameterizedTest
    @CsvSource({"0.1, 106122, 52, 35, 17, 11", "0.35, 423018, 52, 35, 17, 10"})
    void followsKerasLayerForLayer(double alpha, long params, int batchNorms, int relu6, int depthwise, int adds) {
        ComputationGraphConfiguration conf = MobileNetV2.forCifar10(alpha, 0.001, 1).configuration();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertEquals(params, graph.numParams());
        assertEquals(batchNorms, countLayers(conf, BatchNormalization.class));
        assertEquals(relu6, countLayers(conf, ActivationLayer.class));
        assertEquals(depthwise, countLayers(conf, DepthwiseConvolution2D.class));
        assertEquals(adds, conf.getVertices().values().stream().filter(v -> v instanceof ElementWiseVertex).count());
    }

    @Test
    void keepsKerasBatchNormSettings() {
        ComputationGraphConfiguration conf = MobileNetV2.forCifar10(0.1, 0.001, 1).configuration();
        BatchNormalization bn = (BatchNormalization) ((LayerVertex) conf.getVertices().get("Conv1_BN")).getLayerConf().getLayer();
        assertEquals(1e-3, bn.getEps(), 1e-12);
        assertEquals(0.999, bn.getDecay(), 1e-12);
    }

    @Test
    void classifiesIntoTenClasses() {
        ComputationGraph graph = MobileNetV2.forCifar10(0.1, 0.001, 1).build();
        INDArray out = graph.outputSingle(Nd4j.rand(2, 3, 32, 32));
        assertArrayEquals(new long[] {2, 10}, out.shape());
        assertEquals(1.0, out.getRow(0).sumNumber().doubleValue(), 1e-4);
    }

    @Test
    void roundsChannelsLikeKeras() {
        assertEquals(8, MobileNetV2.makeDivisible(3.2, 8));
        assertEquals(8, MobileNetV2.makeDivisible(1, 8));
        assertEquals(16, MobileNetV2.makeDivisible(11.2, 8));
        assertEquals(32, MobileNetV2.makeDivisible(32, 8));
        assertEquals(112, MobileNetV2.makeDivisible(112, 8));
    }

    @Test
    void parameterVectorsRoundTrip() {
        ComputationGraph a = MobileNetV2.forCifar10(0.1, 0.001, 1).build();
        ComputationGraph b = MobileNetV2.forCifar10(0.1, 0.001, 2).build();
        float[] params = ParameterVector.read(a);
        ParameterVector.write(b, params);
        assertArrayEquals(params, ParameterVector.read(b));
        assertArrayEquals(params, ParameterVector.fromBytes(ParameterVector.toBytes(params)));
        assertEquals(a.params(), b.params());
    }

    @Test
    void refusesAVectorOfTheWrongModel() {
        ComputationGraph a = MobileNetV2.forCifar10(0.1, 0.001, 1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterVector.write(a, new float[10]));
        assertEquals(true, e.getMessage().contains("106122"));
    }

    private static long countLayers(ComputationGraphConfiguration conf, Class<? extends Layer> type) {
        return conf.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && type.isInstance(lv.getLayerConf().getLayer()))
                .count();
    }
}
