package io.flhetero.fl.client;

import io.flhetero.profile.LinkSpec;

import java.util.Optional;

/**
 * What a client's device does to its work. In a container the limits are real ({@link #real}); in the local
 * runtime the device is simulated: time is scaled to its CPU share, memory is checked against its limit and
 * transfers are counted, not waited for.
 */
public interface DeviceEmulation {

    /** How long the device took (or would take) for this training. */
    double deviceSeconds(Work training);

    /** How long the device took (or would take) for this evaluation, whose cost differs from training's. */
    double evaluationSeconds(Work evaluation);

    /**
     * The extra time of a fresh process's warm-up in the fit ({@code evaluation}: the evaluation) about to begin:
     * in its first ones, 0 afterwards, and always 0 on a real device, where it is part of the wall time.
     */
    double warmupSeconds(boolean evaluation);

    /** Why training at this batch size would not fit in the device's memory, if it would not. */
    Optional<String> memoryShortfall(int batchSize);

    /** The client's memory while training at this batch size: measured on a real device, estimated otherwise. */
    long memoryBytes(int batchSize);

    /**
     * Moves {@code bytes} of parameters over the device's link ({@code upload}: to the server); returns the device
     * seconds it took.
     */
    double transfer(long bytes, boolean upload) throws InterruptedException;

    /** A device with real limits, on {@code link}: see {@link RealDevice}. */
    static DeviceEmulation real(LinkSpec link) {
        return new RealDevice(link);
    }
}
