package io.flhetero.policy;

import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPlanTest {

    private static final RegisteredClient CLIENT = new RegisteredClient("client1", "d", 1, 1L << 30, 1_000, 250, 1,
            1L << 28, FitConfig.epochs(64, 0.002, 1));

    @Test
    void anOomKillHalvesTheClientsOwnBatchAndScalesItsLearningRate() {
        TrainingPlan plan = TrainingPlan.clientsOwn(CLIENT, "static").afterOomKills(1);
        assertEquals(32, plan.config().batchSize());
        assertEquals(0.001, plan.config().learningRate(), 1e-12);
        assertEquals(0, plan.config().maxSteps(), "no step cap stays no step cap");
        assertTrue(plan.reason().endsWith("batch 32 after 1 OOM kill"), plan.reason());
    }

    @Test
    void aStepCapGrowsSoThatARoundCoversTheSameExamples() {
        TrainingPlan plan = new TrainingPlan(FitConfig.epochs(128, 0.004, 1).withMaxSteps(5), "capacity")
                .afterOomKills(2);
        assertEquals(32, plan.config().batchSize());
        assertEquals(0.001, plan.config().learningRate(), 1e-12);
        assertEquals(20, plan.config().maxSteps());
        assertTrue(plan.reason().endsWith("after 2 OOM kills"), plan.reason());
    }

    @Test
    void theBatchStopsAtOneAndNoKillChangesNothing() {
        assertEquals(1, new TrainingPlan(FitConfig.epochs(4, 0.001, 1), "x").afterOomKills(5).config().batchSize());
        TrainingPlan own = TrainingPlan.clientsOwn(Fixtures.registered("c", 1, 1L << 30, 10, 2), "static");
        assertSame(own, own.afterOomKills(0));
    }
}
