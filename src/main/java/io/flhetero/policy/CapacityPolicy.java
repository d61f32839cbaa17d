package io.flhetero.policy;

import io.flhetero.data.ImageSet;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.model.TrainingSpeed;
import io.flhetero.model.fused.TrainingMemory;

import java.util.List;
import java.util.Locale;

/**
 * Derives training settings from a device's limits:
 * <ul>
 *   <li>batch size: the largest power of two up to {@link #MAX_BATCH} whose training-memory estimate stays
 *   within {@link #MEMORY_MARGIN} of the device's memory;</li>
 *   <li>learning rate: scaled linearly with the batch size from a reference (0.001 at batch 32), the usual rule
 *   for keeping the update size per example constant;</li>
 *   <li>local work: the fastest device does all its batches, a device with a fraction of its
 *   {@link TrainingSpeed} that fraction, so that expected fit times even out across the fleet.</li>
 * </ul>
 */
public final class CapacityPolicy implements TrainingPolicy {

    public static final double MEMORY_MARGIN = 0.8;
    public static final int MAX_BATCH = 256;
    public static final int REFERENCE_BATCH = 32;
    public static final double REFERENCE_LEARNING_RATE = 0.001;

    private final TrainingMemory memory;

    public CapacityPolicy(TrainingMemory memory) {
        this.memory = memory;
    }

    @Override
    public TrainingPlan plan(RegisteredClient client, List<RegisteredClient> fleet) {
        long dataBytes = ImageSet.storedBytes(client.trainExamples() + client.testExamples());
        long budget = (long) (client.memoryBytes() * MEMORY_MARGIN);
        int batch = 0;
        for (int b = MAX_BATCH; b >= 1; b /= 2) {
            if (memory.estimate(b, dataBytes).totalBytes() <= budget) {
                batch = b;
                break;
            }
        }
        if (batch == 0) {
            return TrainingPlan.clientsOwn(client, String.format(Locale.ROOT, "capacity: not even batch 1 fits %d%% of %d MB; "
                    + "kept the profile's settings", (int) (MEMORY_MARGIN * 100), client.memoryBytes() >> 20));
        }
        double lr = REFERENCE_LEARNING_RATE * batch / REFERENCE_BATCH;
        double fastest = fleet.stream().mapToDouble(c -> TrainingSpeed.of(c.cpus())).max()
                .orElse(TrainingSpeed.of(client.cpus()));
        double share = Math.min(1, TrainingSpeed.of(client.cpus()) / fastest);
        int batches = (client.trainExamples() + batch - 1) / batch;
        int steps = Math.max(1, (int) Math.round(batches * share));
        return new TrainingPlan(FitConfig.epochs(batch, lr, 1).withMaxSteps(steps == batches ? 0 : steps), String.format(Locale.ROOT,
                "capacity: batch %d is the largest within %d%% of %d MB; learning rate %.4g scaled from %s at %d; "
                        + "%d of %d batches per round, as its training speed is %.2f of the fastest device's (speed is "
                        + "min(CPUs, 1): the engine trains on one core)", batch, (int) (MEMORY_MARGIN * 100),
                client.memoryBytes() >> 20, lr, REFERENCE_LEARNING_RATE, REFERENCE_BATCH, steps, batches, share));
    }
}
