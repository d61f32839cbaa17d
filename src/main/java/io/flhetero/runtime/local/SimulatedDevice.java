package io.flhetero.runtime.local;

import io.flhetero.fl.client.DeviceEmulation;
import io.flhetero.fl.client.Work;
import io.flhetero.model.fused.TrainingMemory;
import io.flhetero.profile.DeviceClass;

import java.util.Optional;

/**
 * A device simulated inside this JVM, one per client process (a restarted client gets a fresh one, warm-up
 * included): its time is the training thread's CPU time scaled by {@link DeviceClock},
 * a fit whose {@link TrainingMemory} estimate exceeds the memory limit fails as an OOM kill would, and transfers
 * take the time its link says, counted but not waited for.
 */
final class SimulatedDevice implements DeviceEmulation {

    private final DeviceClass device;
    private final DeviceClock clock;
    private final TrainingMemory memory;
    private final long dataBytes;

    /** Fits and evaluations begun: a fresh process's warm-up is in its first ones. */
    private int fits;
    private int evaluations;

    SimulatedDevice(DeviceClass device, TrainingMemory memory, long dataBytes, DeviceCalibration calibration) {
        this.device = device;
        this.clock = new DeviceClock(device.cpus(), calibration);
        this.memory = memory;
        this.dataBytes = dataBytes;
    }

    @Override
    public double deviceSeconds(Work training) {
        return clock.deviceSeconds(training);
    }

    @Override
    public double evaluationSeconds(Work evaluation) {
        return clock.evaluationSeconds(evaluation);
    }

    @Override
    public synchronized double warmupSeconds(boolean evaluation) {
        return clock.warmupSeconds(evaluation, evaluation ? evaluations++ : fits++);
    }

    @Override
    public double transfer(long bytes, boolean upload) {
        return device.link().seconds(bytes, upload);
    }

    @Override
    public long memoryBytes(int batchSize) {
        return memory.estimate(batchSize, dataBytes).totalBytes();
    }

    @Override
    public Optional<String> memoryShortfall(int batchSize) {
        TrainingMemory.Estimate need = memory.estimate(batchSize, dataBytes);
        if (need.totalBytes() <= device.memory().bytes()) {
            return Optional.empty();
        }
        return Optional.of("training at batch " + batchSize + " needs " + need + " but the device has "
                + device.memory() + "; lower batch_size or raise memory");
    }
}
