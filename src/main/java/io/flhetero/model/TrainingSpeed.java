package io.flhetero.model;

/**
 * How fast a device trains, relative to one core of this machine: its CPU share up to one CPU, and one above it.
 * A CPU limit below one is a CFS quota, which stretches time exactly; above one nothing is gained, because the
 * engine trains on one thread (a second OpenMP thread measured 0.96-0.99x at batch 256 and slowed batch 32).
 */
public final class TrainingSpeed {

    private TrainingSpeed() {
    }

    public static double of(double cpus) {
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("cpus must be positive, got " + cpus);
        }
        return Math.min(cpus, 1);
    }
}
