package io.flhetero.policy;

import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.fused.TrainingMemory;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityPolicyTest {

    private static final TrainingMemory MEMORY = new TrainingMemory(MobileNetV2.forCifar10(0.1, 0.001, 1));
    private static final CapacityPolicy POLICY = new CapacityPolicy(MEMORY);

    private static RegisteredClient device(String id, double cpus, long memoryMb) {
        return Fixtures.registered(id, cpus, memoryMb << 20, 1_000, 250);
    }

    @Test
    void picksTheLargestPowerOfTwoBatchThatFitsWithItsMargin() {
        RegisteredClient small = device("small", 1, 768);
        List<RegisteredClient> fleet = List.of(small);
        TrainingPlan plan = POLICY.plan(small, fleet);
        long dataBytes = 1_250L * 3073;
        long budget = (long) (0.8 * (768L << 20));
        assertTrue(MEMORY.estimate(plan.config().batchSize(), dataBytes).totalBytes() <= budget, plan.reason());
        assertTrue(MEMORY.estimate(plan.config().batchSize() * 2, dataBytes).totalBytes() > budget, plan.reason());
        assertEquals(256, POLICY.plan(device("big", 1, 4096), fleet).config().batchSize(), "capped at 256");
    }

    @Test
    void scalesTheLearningRateWithTheBatch() {
        RegisteredClient big = device("big", 1, 4096);
        TrainingPlan plan = POLICY.plan(big, List.of(big));
        assertEquals(0.001 * 256 / 32, plan.config().learningRate(), 1e-12);
        assertTrue(plan.reason().startsWith("capacity: batch 256 is the largest within 80% of 4096 MB"), plan.reason());
    }

    @Test
    void givesSlowerDevicesLessLocalWorkSoFitTimesEvenOut() {
        RegisteredClient strong = device("strong", 2, 4096);
        RegisteredClient weak = device("weak", 0.25, 4096);
        List<RegisteredClient> fleet = List.of(strong, weak);
        // 1,000 images at batch 256: 4 batches; the 0.25-CPU device gets an eighth of them, at least one.
        assertEquals(0, POLICY.plan(strong, fleet).config().maxSteps(), "the fastest does all its batches");
        assertEquals(1, POLICY.plan(weak, fleet).config().maxSteps());
        RegisteredClient half = device("half", 0.5, 4096);
        assertEquals(2, POLICY.plan(half, List.of(strong, half)).config().maxSteps(), "half the speed, half the batches");
        RegisteredClient one = device("one", 1, 4096);
        assertEquals(0, POLICY.plan(one, List.of(strong, one)).config().maxSteps(),
                "one CPU trains as fast as two: the engine trains on one thread");
    }

    @Test
    void theStaticPolicyKeepsTheProfilesSettings() {
        TrainingPlan plan = new StaticPolicy().plan(device("a", 1, 1024), List.of());
        assertEquals(32, plan.config().batchSize(), "the device class's own");
        assertEquals(0, plan.config().maxSteps());
        assertTrue(plan.reason().startsWith("static"));
    }
}
