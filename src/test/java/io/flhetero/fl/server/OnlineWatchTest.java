package io.flhetero.fl.server;

import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;
import io.flhetero.fl.availability.OnlineIntervals;
import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.MemorySize;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OnlineWatchTest {

    @Test
    void reportsEachChangeAtTheMomentTheTraceSaysAsTheClockMovesPastIt(@TempDir Path dir) throws Exception {
        // client2: online [0, 10) and [15, 20), then gone; client3 starts offline, online from 5 on.
        Path trace = Files.writeString(dir.resolve("trace.csv"),
                "client_id,start,end\nclient2,0,10\nclient2,15,20\nclient3,5,1000\n");
        ClientSpec steady = Fixtures.client(0, "steady", 1, "2g", 32);
        List<ClientSpec> clients = List.of(steady, phone(1, trace), phone(2, trace));
        Availability availability = OnlineIntervals.of(clients, 1);
        List<String> heard = new ArrayList<>();
        OnlineWatch watch = new OnlineWatch(availability, new RunListener() {
            @Override
            public void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
                heard.add(clientId + (online ? " on " : " off ") + deviceSeconds);
            }
        });
        List<String> ids = List.of("client1", "client2", "client3");

        watch.advanceTo(0, ids);
        assertEquals(List.of("client3 off 0.0"), heard, "only who starts offline is told at the start");
        watch.advanceTo(12, ids);
        assertEquals(List.of("client3 off 0.0", "client2 off 10.0", "client3 on 5.0"), heard);
        heard.clear();
        watch.advanceTo(12, ids);
        assertEquals(List.of(), heard, "nothing twice");
        watch.advanceTo(100, ids);
        assertEquals(List.of("client2 on 15.0", "client2 off 20.0"), heard, "a whole session between two looks");
    }

    @Test
    void saysNothingWhenEveryoneIsAlwaysOnline() {
        List<String> heard = new ArrayList<>();
        OnlineWatch watch = new OnlineWatch(Availability.ALWAYS, new RunListener() {
            @Override
            public void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
                heard.add(clientId);
            }
        });
        watch.advanceTo(1_000, List.of("client1"));
        assertEquals(List.of(), heard);
    }

    private static ClientSpec phone(int index, Path trace) {
        return new ClientSpec("client" + (index + 1), index, new DeviceClass("phone", 1, MemorySize.parse("2g"), 32,
                0.005, 1, 0, new AvailabilitySpec(1, Duration.ofMinutes(1), trace)));
    }
}
