package io.flhetero.fl.client;

import io.flhetero.data.ClientData;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.ParameterVector;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.runtime.local.DeviceClock;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlClientTest {

    @Test
    void aShortTrainingOnSyntheticDataLiftsAccuracyWellAboveChance() {
        ClientData data = Fixtures.data(640, 200, 11);
        FlClient client = new FlClient("client1", FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.005, 3)), data, 0.005, 3);
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
        FlClient client = new FlClient("client1", FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.005, 3)), data, 0.005, 3);
        LocalTraining cut = client.fit(1, params, FitConfig.epochs(32, 0.005, 1), (steps, wall, cpu) -> steps >= 3,
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
    void aHalfCpuDeviceTakesTwiceAsLongForTheSameWork() {
        ClientData data = Fixtures.data(128, 10, 5);
        float[] params = ParameterVector.read(MobileNetV2.of(Fixtures.MODEL, 0.005, 3).build());
        FlClient client = new FlClient("client1", FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.005, 3)), data, 0.005, 3);
        client.fit(0, params, 32, 0.005, 1, TrainingProgress.NONE); // warm-up: JIT and oneDNN primitives
        DeviceClock full = new DeviceClock(1.0);
        DeviceClock half = new DeviceClock(0.5);
        // Pairs of the same work back to back, so that drift on a shared machine hits both sides of a pair alike.
        // The CPU time of identical work still varies by up to +-40 % per pair here, hence the median of nine.
        double[] ratios = new double[9];
        for (int i = 0; i < ratios.length; i++) {
            double fullSeconds = full.deviceSeconds(client.fit(1, params, 32, 0.005, 1, TrainingProgress.NONE).cpuSeconds());
            double halfSeconds = half.deviceSeconds(client.fit(1, params, 32, 0.005, 1, TrainingProgress.NONE).cpuSeconds());
            ratios[i] = halfSeconds / fullSeconds;
        }
        double ratio = median(ratios);
        assertTrue(ratio > 1.5 && ratio < 2.6, "0.5 CPU vs 1 CPU for the same work: median ratio " + ratio + " of "
                + Arrays.toString(ratios));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
