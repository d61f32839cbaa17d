package io.flhetero.profile;

import java.util.List;

/**
 * One kind of device in a mix: its resource limits, its network link and the training settings it was given.
 *
 * @param count        how many clients of this class, or 0 when clients are assigned round-robin or at random
 * @param availability when its devices are online (churn)
 * @param link         how fast its devices receive and send parameters
 * @param placement    Docker Swarm placement constraints ("node.labels.device == pi4") for its client services;
 *                     empty: anywhere. Only the swarm runtime reads them.
 */
public record DeviceClass(String name, double cpus, MemorySize memory, int batchSize, double learningRate,
                          int localEpochs, int count, AvailabilitySpec availability, LinkSpec link,
                          List<String> placement) {

    public DeviceClass {
        placement = placement == null ? List.of() : List.copyOf(placement);
    }

    /** A device that is always online, on an unlimited link. */
    public DeviceClass(String name, double cpus, MemorySize memory, int batchSize, double learningRate,
                       int localEpochs, int count) {
        this(name, cpus, memory, batchSize, learningRate, localEpochs, count, AvailabilitySpec.ALWAYS,
                LinkSpec.UNLIMITED);
    }

    /** A device on an unlimited link. */
    public DeviceClass(String name, double cpus, MemorySize memory, int batchSize, double learningRate,
                       int localEpochs, int count, AvailabilitySpec availability) {
        this(name, cpus, memory, batchSize, learningRate, localEpochs, count, availability, LinkSpec.UNLIMITED);
    }

    /** A device placed anywhere. */
    public DeviceClass(String name, double cpus, MemorySize memory, int batchSize, double learningRate,
                       int localEpochs, int count, AvailabilitySpec availability, LinkSpec link) {
        this(name, cpus, memory, batchSize, learningRate, localEpochs, count, availability, link, List.of());
    }

    public DeviceClass withAvailability(AvailabilitySpec newAvailability) {
        return new DeviceClass(name, cpus, memory, batchSize, learningRate, localEpochs, count, newAvailability, link,
                placement);
    }

    /** The same class with other limits (fitted to a host, or as a container reports them). */
    public DeviceClass withLimits(double newCpus, MemorySize newMemory) {
        return new DeviceClass(name, newCpus, newMemory, batchSize, learningRate, localEpochs, count, availability,
                link, placement);
    }
}
