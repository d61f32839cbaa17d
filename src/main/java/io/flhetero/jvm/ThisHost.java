package io.flhetero.jvm;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.OptionalLong;

/**
 * The machine this program runs on: its name, looked up once (what runs and calibrations are owned by), its
 * memory, and whether a port of it is free.
 */
public final class ThisHost {

    private static final String NAME = lookUp();

    private ThisHost() {
    }

    public static String name() {
        return NAME;
    }

    /** The machine's physical memory, where the JVM can tell. */
    public static OptionalLong memoryBytes() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? OptionalLong.of(os.getTotalMemorySize()) : OptionalLong.empty();
    }

    /** Whether nothing listens on {@code port} of the address {@code host}. */
    public static boolean portFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String lookUp() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
