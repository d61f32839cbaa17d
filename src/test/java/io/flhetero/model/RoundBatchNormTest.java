package io.flhetero.model;

import io.flhetero.data.SyntheticCifar;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundBatchNormTest {

    private static final String FIRST_BN = "Conv1_BN";

    @Test
    void firstStepOfARoundReplacesTheStatisticsByTheBatchs() {
        ComputationGraph model = MobileNetV2.forCifar10(0.1, 0.001, 1).build();
        RoundBatchNorm batchNorm = new RoundBatchNorm(model);
        DataSet batch = SyntheticCifar.generate(16, 3).toDataSet();
        float[] batchMean = channelMeans(model.feedForward(batch.getFeatures(), false).get("Conv1"));

        batchNorm.beforeStep(1);
        model.fit(batch);

        assertArrayEquals(batchMean, runningMean(model), 1e-4f);
    }

    @Test
    void averagesTheRoundsBatchesThenGivesWayToTheMomentum() {
        ComputationGraph model = MobileNetV2.forCifar10(0.1, 0.001, 1).build();
        RoundBatchNorm batchNorm = new RoundBatchNorm(model);
        assertEquals(0.999, batchNorm.momentum(), 1e-12);
        BatchNormalization conf =
                (BatchNormalization) model.getLayer(FIRST_BN).conf().getLayer();

        batchNorm.beforeStep(1);
        assertEquals(0, conf.getDecay(), 1e-12);
        batchNorm.beforeStep(4);
        assertEquals(0.75, conf.getDecay(), 1e-12);
        batchNorm.beforeStep(5000);
        assertEquals(0.999, conf.getDecay(), 1e-12);
    }

    /** Per-channel mean of NCHW activations. */
    private static float[] channelMeans(INDArray activations) {
        return activations.mean(0, 2, 3).toFloatVector();
    }

    private static float[] runningMean(ComputationGraph model) {
        return model.getLayer(FIRST_BN).getParam("mean").toFloatVector();
    }
}
