package io.flhetero.fl.cluster;

import io.flhetero.jvm.ThisHost;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.IntStream;

/**
 * How one run's JVMs find each other: a cluster name of their own (so that nothing from another run joins),
 * a block of ports for Hazelcast (the server takes the first), and a token that clients present when they
 * register. Hazelcast's open-source edition has no cluster password, so the token is checked by the server
 * itself; it is a run secret, the name is not.
 *
 * @param host         the server's address, which every client can reach (loopback with host networking)
 * @param members      how many JVMs the run has: the server and its clients
 * @param clientSubnet where the clients' own addresses are (CIDR); each binds to its address in it. Null: each
 *                     binds to the address it reaches the server from (clients on several hosts)
 */
public record ClusterSettings(String name, String host, int basePort, int members, String token, String clientSubnet) {

    public static final String LOOPBACK = "127.0.0.1";

    /** A fresh cluster for a run, on a block of free ports of {@code host} from 5701 up. */
    public static ClusterSettings forRun(String runId, int clients, String host, String clientSubnet) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        int members = clients + 1;
        return new ClusterSettings("fl-hetero-" + runId, host, freeBlock(host, 5701, members), members,
                HexFormat.of().formatHex(secret), clientSubnet);
    }

    /** The server's Hazelcast address, the one address clients are given to join. */
    public String founder() {
        return host + ":" + basePort;
    }

    private static int freeBlock(String host, int from, int size) {
        for (int base = from; base < 60_000; base += size) {
            if (IntStream.range(base, base + size).allMatch(port -> ThisHost.portFree(host, port))) {
                return base;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports on " + host);
    }
}
