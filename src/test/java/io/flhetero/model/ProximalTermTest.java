package io.flhetero.model;

import io.flhetero.testing.Fixtures;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProximalTermTest {

    @Test
    void theTermSparesBatchNormStatisticsOnly() {
        ComputationGraph model = MobileNetV2.of(Fixtures.MODEL, 0.01, 3).build();
        float[] before = ParameterVector.read(model);
        long statistics = model.paramTable().entrySet().stream()
                .filter(e -> e.getKey().endsWith("_mean") || e.getKey().endsWith("_var")
                        || e.getKey().endsWith("_log10stdev"))
                .mapToLong(e -> e.getValue().length()).sum();
        INDArray mask = ProximalTerm.trainedMask(model);
        assertTrue(statistics > 0, "MobileNetV2 has BatchNorm statistics");
        assertEquals(model.numParams() - statistics, mask.sumNumber().longValue());
        assertEquals(Arrays.toString(before), Arrays.toString(ParameterVector.read(model)),
                "building the mask leaves the parameters as they were");
    }
}
