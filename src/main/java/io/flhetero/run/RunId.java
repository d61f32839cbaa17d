package io.flhetero.run;

import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Run ids sort by start time and never collide: "20261130-071502-3fa9c1". */
public final class RunId {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunId() {
    }

    public static String next() {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return LocalDateTime.now().format(TIME) + "-" + HexFormat.of().formatHex(suffix);
    }
}
