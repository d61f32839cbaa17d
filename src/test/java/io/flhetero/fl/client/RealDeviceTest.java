package io.flhetero.fl.client;

import io.flhetero.profile.LinkSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealDeviceTest {

    @Test
    void aRealDeviceWaitsOutEachTransferAtItsLinksPace() throws Exception {
        // 250 kB up at 10 mbit: 0.2 s, plus 50 ms of latency; down at 40 mbit: 0.05 s + 0.05 s.
        DeviceEmulation device = DeviceEmulation.real(new LinkSpec(40_000_000, 10_000_000, Duration.ofMillis(50)));
        long start = System.nanoTime();
        double up = device.transfer(250_000, true);
        double waited = (System.nanoTime() - start) / 1e9;
        assertTrue(up >= 0.25 && up < 0.25 + 0.2, "took " + up + " s, expected 0.25 s");
        assertEquals(waited, up, 0.01, "the time it reports is the time it waited");
        double down = device.transfer(250_000, false);
        assertTrue(down >= 0.1 && down < 0.1 + 0.2, "took " + down + " s, expected 0.1 s");
        assertEquals(0.0, DeviceEmulation.real(LinkSpec.UNLIMITED).transfer(250_000, true), 0.01,
                "an unlimited link costs nothing");
    }
}
