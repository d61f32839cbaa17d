package io.flhetero.policy;

import io.flhetero.fl.strategy.ClientProxy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPlanTest {

    private static final ClientProxy CLIENT = new ClientProxy("client1", "d", 1, 1L << 30, 1_000, 250, 1, 1L << 28,
            64, 0.002);

    @Test
    void anOomKillHalvesTheClientsOwnBatchAndScalesItsLearningRate() {
        TrainingPlan plan = TrainingPlan.clientsOwn("static").afterOomKills(1, CLIENT);
        assertEquals(32, plan.batchSize());
        assertEquals(0.001, plan.learningRate(), 1e-12);
        assertEquals(0, plan.maxSteps(), "no step cap stays no step cap");
        assertTrue(plan.reason().endsWith("batch 32 after 1 OOM kill"), plan.reason());
    }

    @Test
    void aStepCapGrowsSoThatARoundCoversTheSameExamples() {
        TrainingPlan plan = new TrainingPlan(128, 0.004, 1, 5, "capacity").afterOomKills(2, CLIENT);
        assertEquals(32, plan.batchSize());
        assertEquals(0.001, plan.learningRate(), 1e-12);
        assertEquals(20, plan.maxSteps());
        assertTrue(plan.reason().endsWith("after 2 OOM kills"), plan.reason());
    }

    @Test
    void theBatchStopsAtOneAndUnknownSettingsStayAsTheyAre() {
        assertEquals(1, new TrainingPlan(4, 0.001, 1, 0, "x").afterOomKills(5, CLIENT).batchSize());
        TrainingPlan own = TrainingPlan.clientsOwn("static");
        assertSame(own, own.afterOomKills(1, new ClientProxy("c", "d", 1, 1L << 30, 10, 2)),
                "a client that did not say its batch size keeps its plan");
        assertSame(own, own.afterOomKills(0, CLIENT));
    }
}
