package io.flhetero.profile;

/**
 * One kind of device in a mix: its resource limits and the training settings it was given.
 *
 * @param count how many clients of this class, or 0 when clients are assigned round-robin or at random
 */
public record DeviceClass(String name, double cpus, MemorySize memory, int batchSize, double learningRate,
                          int localEpochs, int count, AvailabilitySpec availability) {

    /** A device that is always online. */
    public DeviceClass(String name, double cpus, MemorySize memory, int batchSize, double learningRate,
                       int localEpochs, int count) {
        this(name, cpus, memory, batchSize, learningRate, localEpochs, count, AvailabilitySpec.ALWAYS);
    }

    public DeviceClass withAvailability(AvailabilitySpec newAvailability) {
        return new DeviceClass(name, cpus, memory, batchSize, learningRate, localEpochs, count, newAvailability);
    }
}
