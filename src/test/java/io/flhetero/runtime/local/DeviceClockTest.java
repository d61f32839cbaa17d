package io.flhetero.runtime.local;

import io.flhetero.fl.client.Work;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceClockTest {

    /** 10 s of CPU on this host, for 5 batches of 32 images. */
    private static final Work WORK = new Work(5, 160, 12, 10);

    @Test
    void aCpuQuotaBelowOneStretchesTimeExactly() {
        assertEquals(20.0, new DeviceClock(0.5).deviceSeconds(WORK), 1e-9);
        assertEquals(40.0, new DeviceClock(0.25).deviceSeconds(WORK), 1e-9);
        assertEquals(10.0, new DeviceClock(1).deviceSeconds(WORK), 1e-9);
    }

    @Test
    void moreThanOneCpuTrainsAsOneBecauseTheEngineIsSingleThreaded() {
        assertEquals(10.0, new DeviceClock(2).deviceSeconds(WORK), 1e-9);
        assertEquals(10.0, new DeviceClock(4).deviceSeconds(WORK), 1e-9);
    }

    @Test
    void calibratedTimeIsCountedFromTheWorkNotMeasured() {
        // 0.1 s a batch + 0.01 s an image to train, 0.05 + 0.002 to evaluate; containers at 0.5 CPU take 1.2x and
        // 1.5x that.
        DeviceCalibration calibration = new DeviceCalibration("host", "jar", "today", "mix", 0.5,
                new WorkCost(0.1, 0.01, 0.05, 0.002), new double[] {0.5}, new double[] {1.2}, new double[] {1.5},
                new double[][] {{}}, new double[][] {{}});
        DeviceClock clock = new DeviceClock(0.5, calibration);
        assertEquals((0.5 + 1.6) * 2 * 1.2, clock.deviceSeconds(WORK), 1e-9, "whatever the CPU time measured");
        assertEquals((0.25 + 0.32) * 2 * 1.5, clock.evaluationSeconds(WORK), 1e-9);
        assertEquals(clock.deviceSeconds(WORK), clock.deviceSeconds(new Work(5, 160, 99, 99)), 1e-12,
                "the same work, the same time");
    }
}
