package io.flhetero.profile;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device class's network link: how fast it receives (down) and sends (up) parameters, and the latency each
 * transfer pays. Enforced by the client's own transport, so it holds in containers on the host network and on
 * loopback as well as in-process, where it adds to the simulated device time.
 *
 * @param downBitsPerSecond receiving bandwidth; 0: unlimited
 * @param upBitsPerSecond   sending bandwidth; 0: unlimited
 * @param latency           paid once per transfer, each way
 */
public record LinkSpec(long downBitsPerSecond, long upBitsPerSecond, Duration latency) {

    /** No limit: transfers take no device time. */
    public static final LinkSpec UNLIMITED = new LinkSpec(0, 0, Duration.ZERO);

    private static final Pattern RATE = Pattern.compile("([0-9]*\\.?[0-9]+)\\s*(kbit|mbit|gbit)",
            Pattern.CASE_INSENSITIVE);

    public boolean unlimited() {
        return downBitsPerSecond == 0 && upBitsPerSecond == 0 && latency.isZero();
    }

    /** Seconds a transfer of {@code bytes} takes: latency plus bytes over the direction's bandwidth. */
    public double seconds(long bytes, boolean upload) {
        long rate = upload ? upBitsPerSecond : downBitsPerSecond;
        return latency.toNanos() / 1e9 + (rate == 0 ? 0 : bytes * 8.0 / rate);
    }

    /**
     * A rate such as {@code 20mbit}, {@code 512kbit} or {@code 1gbit} (bits per second, as tc writes them).
     *
     * @throws IllegalArgumentException for anything else, or a rate below 1 kbit
     */
    public static long parseRate(String text) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate");
        }
        double value = Double.parseDouble(m.group(1));
        double bits = value * switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kbit" -> 1e3;
            case "mbit" -> 1e6;
            default -> 1e9;
        };
        if (bits < 1e3) {
            throw new IllegalArgumentException("'" + text + "' is below 1kbit");
        }
        return Math.round(bits);
    }

    /** The rate as a profile writes it back. */
    public static String formatRate(long bitsPerSecond) {
        if (bitsPerSecond % 1_000_000_000L == 0) {
            return bitsPerSecond / 1_000_000_000L + "gbit";
        }
        if (bitsPerSecond % 1_000_000L == 0) {
            return bitsPerSecond / 1_000_000L + "mbit";
        }
        return String.format(Locale.ROOT, "%.3fkbit", bitsPerSecond / 1e3).replaceFirst("\\.?0+kbit$", "kbit");
    }
}
