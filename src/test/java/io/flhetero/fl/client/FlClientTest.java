package io.flhetero.fl.client;

import io.flhetero.data.ClientData;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlClientTest {

    @Test
    void aShortTrainingOnSyntheticDataLiftsAccuracyWellAboveChance() {
        ClientData data = Fixtures.data(640, 200, 11);
        FlClient client = ownModel(data);
        float[] params = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.005, 3).build());
        EvaluateOutcome before = client.evaluate(params);
        int[] lastProgress = new int[2];
        LocalTraining training = null;
        for (int epoch = 0; epoch < 4; epoch++) {
            training = client.fit(epoch + 1, params, 32, 0.005, 1, (done, total) -> {
                lastProgress[0] = done;
                lastProgress[1] = total;
            });
            params = training.parameters();
        }
        EvaluateOutcome after = client.evaluate(params);

        assertEquals(640, training.examples());
        assertEquals(20, training.steps());
        assertEquals(20, lastProgress[0]);
        assertEquals(20, lastProgress[1]);
        assertTrue(after.accuracy() > 0.4, "10 classes, chance is 0.1: before " + before.accuracy() + ", after "
                + after.accuracy());
        assertTrue(after.loss() < before.loss(), "loss falls: " + before.loss() + " -> " + after.loss());
    }

    @Test
    void aDeadlineReturnsThePartialWorkDone() {
        ClientData data = Fixtures.data(320, 10, 7);
        float[] params = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.005, 3).build());
        FlClient client = ownModel(data);
        LocalTraining cut = client.fit(1, params, FitConfig.epochs(32, 0.005, 1), done -> done.batches() >= 3,
                TrainingProgress.NONE);
        assertEquals(3, cut.steps());
        assertEquals(10, cut.plannedSteps());
        assertEquals(96, cut.examples(), "only the batches trained count as examples");
        LocalTraining capped = client.fit(2, params, FitConfig.epochs(32, 0.005, 2).withMaxSteps(4), StopCondition.NEVER,
                TrainingProgress.NONE);
        assertEquals(4, capped.steps());
        assertEquals(4, capped.plannedSteps(), "max steps is the plan, not a cut");
    }

    @Test
    void reportsTheCpuTimeOfItsTrainingThreadWhichTheDeviceClockStretches() {
        ClientData data = Fixtures.data(64, 10, 5);
        float[] params = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.005, 3).build());
        FlClient client = ownModel(data);
        LocalTraining fit = client.fit(1, params, 32, 0.005, 1, TrainingProgress.NONE);
        // One thread cannot use more CPU than the time that passed; the device clock's arithmetic is DeviceClockTest's.
        assertTrue(fit.cpuSeconds() > 0 && fit.cpuSeconds() <= fit.wallSeconds() + 0.01,
                "cpu " + fit.cpuSeconds() + " s within wall " + fit.wallSeconds() + " s");
    }

    private static FlClient ownModel(ClientData data) {
        return new FlClient("client1", ClientModel.own(FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.005, 3))), data,
                3);
    }
}
