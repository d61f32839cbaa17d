package io.flhetero.runtime.local;

import io.flhetero.model.TrainingSpeed;

/**
 * Turns CPU time measured on one core of this machine into the time a device with a given CPU limit would
 * take, at its {@link TrainingSpeed}: a 0.5-CPU device takes twice as long, a 2-CPU device as long as one core.
 */
public final class DeviceClock {

    private final double speed;

    public DeviceClock(double cpus) {
        this.speed = TrainingSpeed.of(cpus);
    }

    public double deviceSeconds(double oneCoreCpuSeconds) {
        return oneCoreCpuSeconds / speed;
    }
}
