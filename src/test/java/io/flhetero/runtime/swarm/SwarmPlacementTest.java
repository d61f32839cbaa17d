package io.flhetero.runtime.swarm;

import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.LinkSpec;
import io.flhetero.profile.MemorySize;
import io.flhetero.runtime.docker.LimitCheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which nodes a device may run on, and whether a mix packs into them: no swarm needed. */
class SwarmPlacementTest {

    private static final SwarmNode MANAGER = new SwarmNode("m1", "box", "manager", "linux", "x86_64", Map.of(),
            Map.of(), 2, 8L << 30, true);
    private static final SwarmNode PI = new SwarmNode("w1", "pi-a", "worker", "linux", "aarch64",
            Map.of("device", "pi4"), Map.of("zone", "lab"), 4, 4L << 30, true);

    private static ClientSpec client(double cpus, String memory, String... placement) {
        return new ClientSpec("client1", 0, new DeviceClass("pi", cpus, MemorySize.parse(memory), 16, 0.01, 1, 0,
                AvailabilitySpec.ALWAYS, LinkSpec.UNLIMITED, List.of(placement)));
    }

    @Test
    void constraintsReadNodeAttributesAsSwarmDoes() {
        assertTrue(PI.satisfies(List.of("node.labels.device == pi4", "node.role!=manager")));
        assertTrue(PI.satisfies(List.of("engine.labels.zone==lab", "node.platform.arch == aarch64")));
        assertFalse(MANAGER.satisfies(List.of("node.labels.device == pi4")), "a label the node lacks equals nothing");
        assertTrue(MANAGER.satisfies(List.of("node.labels.device != pi4")));
        assertTrue(MANAGER.satisfies(List.of("node.hostname == box", "node.id == m1", "node.platform.os == linux")));
        assertTrue(MANAGER.satisfies(List.of()), "no constraint: any node");
        assertTrue(PI.satisfies(List.of("node.labels.device == PI4")), "values match regardless of case");
    }

    @Test
    void eachDeviceNeedsANodeItMayRunOnAndFitsOn() {
        SwarmSetup.requirePlaceable(List.of(client(4, "4g", "node.labels.device == pi4")), List.of(MANAGER, PI));
        LimitCheck.LimitException none = assertThrows(LimitCheck.LimitException.class, () -> SwarmSetup
                .requirePlaceable(List.of(client(1, "1g", "node.labels.device == jetson")), List.of(MANAGER, PI)));
        assertTrue(none.getMessage().contains("client1 (pi): no ready node satisfies placement "
                + "[node.labels.device == jetson]"), none.getMessage());
        assertTrue(none.getMessage().contains("pi-a (worker, 4 CPUs, 4096 MB, labels {device=pi4})"),
                "it lists the nodes: " + none.getMessage());
        LimitCheck.LimitException tooBig = assertThrows(LimitCheck.LimitException.class, () -> SwarmSetup
                .requirePlaceable(List.of(client(3, "1g", "node.role == manager")), List.of(MANAGER, PI)));
        assertTrue(tooBig.getMessage().contains("cpus 3 and memory 1g fit none of the nodes it may run on"),
                tooBig.getMessage());
    }

    @Test
    void theMixMustPackIntoTheNodesAsSwarmReservesEachClientsLimits() {
        assertEquals(Optional.empty(), packs(client(2, "4g"), client(3, "2g"), client(1, "2g")));
        assertEquals(Optional.empty(), packs(client(2, "1g"), client(2, "1g", "node.role == manager")),
                "the client with fewer nodes to go to is placed first");
        LimitCheck.LimitException e = assertThrows(LimitCheck.LimitException.class,
                () -> packs(client(2, "4g"), client(3, "2g"), client(1.5, "1g")));
        assertTrue(e.getMessage().contains("no node is left for client3"), e.getMessage());
        Optional<String> tight = packs(client(1, "3g", "node.role == worker"), client(1, "3g", "node.role == worker"));
        assertTrue(tight.orElseThrow().contains("may not fit the swarm's nodes together"),
                "not certain on two nodes, so a warning: " + tight);
    }

    /** The clients, numbered client1..N in order. */
    private static Optional<String> packs(ClientSpec... clients) {
        List<ClientSpec> numbered = new ArrayList<>();
        for (int i = 0; i < clients.length; i++) {
            numbered.add(new ClientSpec("client" + (i + 1), i, clients[i].device()));
        }
        return SwarmSetup.requirePackable(numbered, List.of(MANAGER, PI));
    }
}
