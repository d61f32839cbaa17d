package io.flhetero.runtime.local;

import io.flhetero.data.ClientData;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.client.ClientModel;
import io.flhetero.fl.client.FlClient;
import io.flhetero.fl.client.StopCondition;
import io.flhetero.fl.client.TrainingProgress;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PooledModelTest {

    private static final double[] LEARNING_RATES = {0.005, 0.01, 0.002};

    /**
     * Three clients with different learning rates, batch sizes and FedProx terms take turns on one network of a
     * pool, their optimizer states pushed to disk by a budget of one state, and train exactly what three clients with
     * a network each train: the same parameters to the bit, the same losses and accuracies, round after round.
     */
    @Test
    void clientsTakingTurnsOnOneNetworkTrainAsClientsWithANetworkEach(@TempDir Path scratch) {
        List<ClientData> data = List.of(Fixtures.data(96, 16, 1), Fixtures.data(64, 16, 2), Fixtures.data(80, 16, 3));
        ModelPool pool = new ModelPool(1, () -> FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.001, 7)));
        List<FlClient> own = new ArrayList<>();
        List<FlClient> pooled = new ArrayList<>();
        try (OptimizerStates states = new OptimizerStates(1, scratch)) {
            for (int i = 0; i < data.size(); i++) {
                own.add(new FlClient("client" + i, ClientModel.own(FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL,
                        LEARNING_RATES[i], 7 + i))), data.get(i), 7 + i));
                pooled.add(new FlClient("client" + i, new PooledModel("client" + i, pool, states), data.get(i), 7 + i));
            }
            float[] global = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.001, 7).build());
            for (int round = 1; round <= 3; round++) {
                float[] next = null;
                for (int i = 0; i < data.size(); i++) {
                    FitConfig work = FitConfig.epochs(16 * (i + 1), LEARNING_RATES[i], 1).withProximalMu(i == 2 ? 0.1 : 0);
                    var mine = own.get(i).fit(round, global, work, StopCondition.NEVER, TrainingProgress.NONE);
                    var lent = pooled.get(i).fit(round, global, work, StopCondition.NEVER, TrainingProgress.NONE);
                    assertArrayEquals(mine.parameters(), lent.parameters(), "client" + i + ", round " + round);
                    assertEquals(mine.loss(), lent.loss());
                    assertEquals(mine.accuracy(), lent.accuracy());
                    next = mine.parameters();
                }
                for (int i = 0; i < data.size(); i++) {
                    EvaluateOutcome mine = own.get(i).evaluate(next, 16);
                    EvaluateOutcome lent = pooled.get(i).evaluate(next, 16);
                    assertEquals(mine.loss(), lent.loss());
                    assertEquals(mine.accuracy(), lent.accuracy());
                }
                global = next;
            }
            assertEquals(2, states.onDisk(), "a budget of one state keeps only the last client's in memory");
            for (int i = 0; i < data.size(); i++) {
                assertEquals(own.get(i).optimizerState().iteration(), pooled.get(i).optimizerState().iteration());
                assertArrayEquals(own.get(i).optimizerState().moments(), pooled.get(i).optimizerState().moments());
            }
        }
    }
}
