package io.flhetero.runtime.local;

/**
 * Turns CPU time measured on one core of this machine into the time a device with a given CPU limit would
 * take. Below one CPU the limit is a CFS quota, so time stretches exactly by 1/cpus (a 0.5-CPU device takes
 * twice as long). Above one CPU more threads help only partly: the speed-up follows Amdahl's law with the
 * parallel share measured for MobileNetV2 training here (1.24x on 2 threads at batch 256, so p = 0.39).
 */
public final class DeviceClock {

    static final double PARALLEL_SHARE = 0.39;

    private final double cpus;

    public DeviceClock(double cpus) {
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("cpus must be positive, got " + cpus);
        }
        this.cpus = cpus;
    }

    public double deviceSeconds(double oneCoreCpuSeconds) {
        if (cpus <= 1) {
            return oneCoreCpuSeconds / cpus;
        }
        double speedUp = 1 / ((1 - PARALLEL_SHARE) + PARALLEL_SHARE / cpus);
        return oneCoreCpuSeconds / speedUp;
    }
}
