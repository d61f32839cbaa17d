package io.flhetero.fl.client;

import io.flhetero.jvm.ProcessMemory;

import java.util.Optional;

/**
 * What a client's device does to its work. In a container the limits are real and this is the identity; in
 * the local runtime the device is simulated: time is scaled to its CPU share and memory is checked against its
 * limit.
 */
public interface DeviceEmulation {

    /** How long the device took (or would take) for work measured as {@code wallSeconds} and {@code cpuSeconds}. */
    double deviceSeconds(double wallSeconds, double cpuSeconds);

    /** Why training at this batch size would not fit in the device's memory, if it would not. */
    Optional<String> memoryShortfall(int batchSize);

    /** The client's memory while training at this batch size: measured on a real device, estimated otherwise. */
    long memoryBytes(int batchSize);

    /** A device with real limits: its time is wall time and its memory is enforced by the kernel. */
    DeviceEmulation REAL = new DeviceEmulation() {
        @Override
        public double deviceSeconds(double wallSeconds, double cpuSeconds) {
            return wallSeconds;
        }

        @Override
        public Optional<String> memoryShortfall(int batchSize) {
            return Optional.empty();
        }

        @Override
        public long memoryBytes(int batchSize) {
            return Math.max(0, ProcessMemory.rssMb()) << 20;
        }
    };
}
