package io.flhetero.runtime;

import io.flhetero.runtime.local.DeviceClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceClockTest {

    @Test
    void aCpuQuotaBelowOneStretchesTimeExactly() {
        assertEquals(20.0, new DeviceClock(0.5).deviceSeconds(10), 1e-9);
        assertEquals(40.0, new DeviceClock(0.25).deviceSeconds(10), 1e-9);
        assertEquals(10.0, new DeviceClock(1).deviceSeconds(10), 1e-9);
    }

    @Test
    void moreThanOneCpuHelpsOnlyPartly() {
        double two = new DeviceClock(2).deviceSeconds(10);
        double four = new DeviceClock(4).deviceSeconds(10);
        assertTrue(two < 10 && two > 5, "2 CPUs are faster than 1 but less than twice: " + two);
        assertTrue(four < two && four > 2.5, "4 CPUs are faster than 2 but far from 4x: " + four);
    }
}
