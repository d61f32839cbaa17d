package io.flhetero.jvm;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name of the machine this program runs on, looked up once: what runs and calibrations are owned by. */
public final class ThisHost {

    private static final String NAME = lookUp();

    private ThisHost() {
    }

    public static String name() {
        return NAME;
    }

    private static String lookUp() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
