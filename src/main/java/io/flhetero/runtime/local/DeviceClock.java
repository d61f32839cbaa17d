package io.flhetero.runtime.local;

import io.flhetero.model.TrainingSpeed;

/**
 * Turns CPU time measured on one core of this machine into the time a device with a given CPU limit would
 * take, at its {@link TrainingSpeed}: a 0.5-CPU device takes twice as long, a 2-CPU device as long as one core;
 * then, when this host is calibrated, by what containers here take against that ({@link DeviceCalibration}).
 */
public final class DeviceClock {

    private final double cpus;
    private final double speed;
    private final DeviceCalibration calibration;

    public DeviceClock(double cpus) {
        this(cpus, DeviceCalibration.NONE);
    }

    public DeviceClock(double cpus, DeviceCalibration calibration) {
        this.cpus = cpus;
        this.speed = TrainingSpeed.of(cpus);
        this.calibration = calibration;
    }

    /** Training time on the device. */
    public double deviceSeconds(double oneCoreCpuSeconds) {
        return oneCoreCpuSeconds / speed * calibration.fitRatio(cpus);
    }

    /** Evaluation time on the device. */
    public double evaluationSeconds(double oneCoreCpuSeconds) {
        return oneCoreCpuSeconds / speed * calibration.evaluateRatio(cpus);
    }

    /** The extra time of a fresh process's {@code index}-th fit or evaluation (0: the first). */
    public double warmupSeconds(boolean evaluation, int index) {
        return calibration.warmupSeconds(cpus, evaluation, index);
    }
}
