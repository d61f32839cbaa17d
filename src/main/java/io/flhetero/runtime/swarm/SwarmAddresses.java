package io.flhetero.runtime.swarm;

import java.util.List;

/** The smallest IPv4 network (CIDR) that holds every node's address: where each client finds its own to bind. */
final class SwarmAddresses {

    private SwarmAddresses() {
    }

    static String covering(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no node addresses");
        }
        int first = toInt(addresses.get(0));
        int bits = 32;
        for (String a : addresses) {
            int differ = first ^ toInt(a);
            bits = Math.min(bits, Integer.numberOfLeadingZeros(differ));
        }
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        int network = first & mask;
        return (network >>> 24) + "." + (network >>> 16 & 0xFF) + "." + (network >>> 8 & 0xFF) + "." + (network & 0xFF)
                + "/" + bits;
    }

    private static int toInt(String address) {
        String[] parts = address.strip().split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = value << 8 | octet;
        }
        return value;
    }
}
