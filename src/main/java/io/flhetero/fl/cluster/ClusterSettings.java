package io.flhetero.fl.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How one run's JVMs find each other: a cluster name of their own (so that nothing from another run joins),
 * a block of loopback ports for Hazelcast (the server takes the first), and a token that clients present when
 * they register. Hazelcast's open-source edition has no cluster password, so the token is checked by the
 * server itself; it is a run secret, the name is not.
 *
 * @param members how many JVMs the run has: the server and its clients
 */
public record ClusterSettings(String name, String host, int basePort, int members, String token) {

    public static final String LOOPBACK = "127.0.0.1";

    /** A fresh cluster for a run, on a block of free loopback ports from 5701 up. */
    public static ClusterSettings forRun(String runId, int clients) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        int members = clients + 1;
        return new ClusterSettings("fl-hetero-" + runId, LOOPBACK, freeBlock(5701, members), members,
                HexFormat.of().formatHex(secret));
    }

    /** Every member's address, one port each: Hazelcast's TCP-IP join takes no ranges. */
    public List<String> memberAddresses() {
        return IntStream.range(0, members).mapToObj(i -> host + ":" + (basePort + i)).toList();
    }

    private static int freeBlock(int from, int size) {
        for (int base = from; base < 60_000; base += size) {
            if (IntStream.range(base, base + size).allMatch(ClusterSettings::free)) {
                return base;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports on " + LOOPBACK);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
