package io.flhetero.runtime.local;

import io.flhetero.fl.client.Work;
import io.flhetero.model.TrainingSpeed;

/**
 * The time a device with a given CPU limit takes for work done on this host, at its {@link TrainingSpeed}: a
 * 0.5-CPU device takes twice as long as one core, a 2-CPU device as long as one core. Uncalibrated, the work's
 * time is the thread CPU time it took here; calibrated ({@link DeviceCalibration}), it is counted from the work
 * at this host's cost and scaled by what containers here take against that count.
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
    public double deviceSeconds(Work training) {
        if (calibration.none()) {
            return training.cpuSeconds() / speed;
        }
        return calibration.cost().training(training.batches(), training.images()) / speed
                * calibration.fitRatio(cpus);
    }

    /** Evaluation time on the device. */
    public double evaluationSeconds(Work evaluation) {
        if (calibration.none()) {
            return evaluation.cpuSeconds() / speed;
        }
        return calibration.cost().evaluation(evaluation.batches(), evaluation.images()) / speed
                * calibration.evaluateRatio(cpus);
    }

    /** The extra time of a fresh process's {@code index}-th fit or evaluation (0: the first). */
    public double warmupSeconds(boolean evaluation, int index) {
        return calibration.warmupSeconds(cpus, evaluation, index);
    }
}
