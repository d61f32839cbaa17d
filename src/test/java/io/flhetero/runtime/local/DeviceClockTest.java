package io.flhetero.runtime.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceClockTest {

    @Test
    void aCpuQuotaBelowOneStretchesTimeExactly() {
        assertEquals(20.0, new DeviceClock(0.5).deviceSeconds(10), 1e-9);
        assertEquals(40.0, new DeviceClock(0.25).deviceSeconds(10), 1e-9);
        assertEquals(10.0, new DeviceClock(1).deviceSeconds(10), 1e-9);
    }

    @Test
    void moreThanOneCpuTrainsAsOneBecauseTheEngineIsSingleThreaded() {
        assertEquals(10.0, new DeviceClock(2).deviceSeconds(10), 1e-9);
        assertEquals(10.0, new DeviceClock(4).deviceSeconds(10), 1e-9);
    }
}
