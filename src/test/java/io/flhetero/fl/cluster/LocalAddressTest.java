package io.flhetero.fl.cluster;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalAddressTest {

    @Test
    void aClientWithHostNetworkingBindsToLoopback() {
        assertEquals("127.0.0.1", LocalAddress.in("127.0.0.1/32"));
        assertEquals("127.0.0.1", LocalAddress.towards("127.0.0.1"), "the route to a server on loopback");
        assertEquals("127.0.0.1", LocalAddress.in("127.0.0.0/8"));
    }

    @Test
    void networksAreMatchedByTheirPrefix() throws Exception {
        assertTrue(LocalAddress.contains("172.18.0.0/16", InetAddress.getByName("172.18.3.7")));
        assertFalse(LocalAddress.contains("172.18.0.0/16", InetAddress.getByName("172.19.0.1")));
        assertTrue(LocalAddress.contains("10.1.2.3", InetAddress.getByName("10.1.2.3")));
        assertTrue(LocalAddress.contains("0.0.0.0/0", InetAddress.getByName("192.0.2.1")));
        assertFalse(LocalAddress.contains("127.0.0.0/8", InetAddress.getByName("::1")));
        assertThrows(IllegalArgumentException.class, () -> LocalAddress.contains("localhost/8",
                InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void noAddressInTheNetworkSaysWhichAddressesThereAre() {
        // 240.0.0.0/4 is reserved ("for future use"): no interface has an address in it.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalAddress.in("240.0.0.0/4"));
        assertTrue(e.getMessage().contains("240.0.0.0/4") && e.getMessage().contains("127.0.0.1"), e.getMessage());
    }
}
