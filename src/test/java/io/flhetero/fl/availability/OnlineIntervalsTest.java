package io.flhetero.fl.availability;

import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineIntervalsTest {

    private static ClientSpec client(int index, AvailabilitySpec availability) {
        return new ClientSpec("client" + (index + 1), index, new DeviceClass("phone", 0.5, MemorySize.parse("1g"), 16,
                0.001, 1, 0, availability));
    }

    @Test
    void withoutChurnEveryoneIsAlwaysOnline() {
        assertSame(Availability.ALWAYS, OnlineIntervals.of(List.of(client(0, AvailabilitySpec.ALWAYS)), 1));
    }

    @Test
    void theModelKeepsItsShareOnlineAndIsTheSameForTheSameSeed() {
        AvailabilitySpec spec = new AvailabilitySpec(0.3, Duration.ofSeconds(10), null);
        Availability a = OnlineIntervals.of(List.of(client(0, spec)), 7);
        int online = 0;
        for (int t = 0; t < 20_000; t++) {
            online += a.online("client1", t) ? 1 : 0;
        }
        assertEquals(0.3, online / 20_000.0, 0.05, "the long-run share online");
        Availability again = OnlineIntervals.of(List.of(client(0, spec)), 7);
        for (int t = 0; t < 2_000; t += 7) {
            assertEquals(a.online("client1", t), again.online("client1", t), "seeded: the same timeline at " + t);
        }
        assertTrue(a.online("client2", 5), "a client of a class without churn is always online");
    }

    @Test
    void aTraceGivesEachClientsIntervalsMergedAndSaysWhenItLeavesAndReturns(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("trace.csv"), """
                client_id,start_seconds,end_seconds
                client1,0,10   # first session
                client1,8,12
                client1,30,40
                """);
        Availability a = OnlineIntervals.of(List.of(client(0, new AvailabilitySpec(1, Duration.ofMinutes(1), trace)),
                client(1, new AvailabilitySpec(1, Duration.ofMinutes(1), trace))), 1);
        assertTrue(a.online("client1", 11), "overlapping intervals are merged: online 0-12");
        assertFalse(a.online("client1", 12));
        assertEquals(OptionalDouble.of(12), a.offlineBetween("client1", 5, 20));
        assertEquals(OptionalDouble.empty(), a.offlineBetween("client1", 30, 39));
        assertEquals(30, a.nextOnline("client1", 15));
        assertEquals(Double.POSITIVE_INFINITY, a.nextOnline("client1", 41), "no later interval");
        assertFalse(a.online("client2", 0), "a client the trace does not list is never online");

        Path bad = Files.writeString(dir.resolve("bad.csv"), "client1,5,3\n");
        OnlineIntervals.AvailabilityException e = assertThrows(OnlineIntervals.AvailabilityException.class,
                () -> OnlineIntervals.of(List.of(client(0, new AvailabilitySpec(1, Duration.ofMinutes(1), bad))), 1));
        assertTrue(e.getMessage().contains("line 1: 'client1,5,3' is not client_id,start_seconds,end_seconds"),
                e.getMessage());
    }
}
