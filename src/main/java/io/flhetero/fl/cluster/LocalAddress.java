package io.flhetero.fl.cluster;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;

/**
 * This machine's own IPv4 address inside a network given in CIDR notation: how a client finds the address it
 * binds the event bus to (127.0.0.1 with host networking; the container's address on a run's bridge network,
 * which the engine assigns only when the container starts); or the one on its route to the server.
 */
public final class LocalAddress {

    private LocalAddress() {
    }

    /** @throws IllegalStateException when no interface of this machine has an address in {@code cidr} */
    public static String in(String cidr) {
        List<InetAddress> addresses = all();
        return addresses.stream().filter(a -> contains(cidr, a)).map(InetAddress::getHostAddress).findFirst()
                .orElseThrow(() -> new IllegalStateException("no address of this machine is in the run's network "
                        + cidr + " (it has " + addresses.stream().map(InetAddress::getHostAddress).toList()
                        + "); is the client attached to the run's network?"));
    }

    /**
     * The address of this machine that traffic to {@code host} leaves from: what a client on one of several hosts
     * binds to, so that the server can reach it back (a wider rule could pick a bridge's or a VPN's address).
     */
    public static String towards(String host) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(InetAddress.getByName(host), 9); // no packet is sent: this only picks the route
            InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new IllegalStateException("this machine has no route to the server at " + host);
            }
            return local.getHostAddress();
        } catch (SocketException | UnknownHostException | UncheckedIOException e) {
            throw new IllegalStateException("cannot find this machine's address towards the server at " + host + ": "
                    + e.getMessage(), e); // connect reports no route as UncheckedIOException
        }
    }

    /** Whether {@code address} lies in {@code cidr} ("a.b.c.d/n"; a bare address is a /32). */
    public static boolean contains(String cidr, InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        String[] parts = cidr.split("/", 2);
        int bits = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : 32;
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("not an IPv4 network: " + cidr);
        }
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (toInt(parse(parts[0].trim())) & mask) == (toInt(address) & mask);
    }

    private static InetAddress parse(String address) {
        // Digits and dots only, so that the lookup below never goes to a name server.
        if (address.isEmpty() || !address.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            throw new IllegalArgumentException("not an IPv4 network: " + address);
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 network: " + address, e);
        }
    }

    private static int toInt(InetAddress address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static List<InetAddress> all() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> a instanceof Inet4Address).toList();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this machine's network interfaces: " + e.getMessage(), e);
        }
    }
}
