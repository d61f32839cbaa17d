package io.flhetero.fl.client;

import io.flhetero.data.ClientData;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.ProximalTerm;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.testing.Fixtures;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FedProxClientTest {

    @Test
    void fedProxKeepsLocalTrainingCloserToTheGlobalModel() {
        ClientData data = Fixtures.data(320, 10, 9);
        ComputationGraph reference = MobileNetV2.of(Fixtures.MODEL, 0.01, 3).build();
        float[] global = ParameterVector.read(reference);
        float[] mask = ProximalTerm.trainedMask(reference).toFloatVector();
        FitConfig work = FitConfig.epochs(32, 0.01, 2);
        double plain = distance(global, fresh(data).fit(1, global, work, StopCondition.NEVER, TrainingProgress.NONE)
                .parameters(), mask);
        FlClient proximalClient = fresh(data);
        double proximal = distance(global, proximalClient.fit(1, global, work.withProximalMu(10.0), StopCondition.NEVER,
                TrainingProgress.NONE).parameters(), mask);
        assertTrue(proximal < 0.8 * plain, "with mu 10 the trained weights stay nearer the global ones: distance "
                + proximal + " vs " + plain + " without");
        // The term goes with the fit it was asked for: a plain fit after a proximal one moves freely again.
        FlClient twin = fresh(data);
        twin.fit(1, global, work.withProximalMu(10.0), StopCondition.NEVER, TrainingProgress.NONE);
        double plainAfter = distance(global, proximalClient.fit(2, global, work, StopCondition.NEVER,
                TrainingProgress.NONE).parameters(), mask);
        double proximalAfter = distance(global, twin.fit(2, global, work.withProximalMu(10.0), StopCondition.NEVER,
                TrainingProgress.NONE).parameters(), mask);
        assertTrue(proximalAfter < 0.8 * plainAfter, "second fits: " + proximalAfter + " with the term, " + plainAfter
                + " without");
    }

    private static FlClient fresh(ClientData data) {
        return new FlClient("client1", ClientModel.own(FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.01, 3))), data,
                3);
    }

    /** Euclidean distance over the trained parameters. */
    private static double distance(float[] a, float[] b, float[] mask) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] - b[i]) * mask[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
