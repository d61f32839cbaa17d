package io.flhetero.profile;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations used in profiles and on the command line: "500ms", "90s", "10m", "1h", "1.5m". */
public final class TimeSpan {

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

    /** Longer than any run: a larger figure is a typo, and timers would overflow on it. */
    static final Duration MAX = Duration.ofDays(365);

    private TimeSpan() {
    }

    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration");
        }
        double value = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> value;
            case "s" -> value * 1_000;
            case "m" -> value * 60_000;
            default -> value * 3_600_000;
        };
        if (millis > MAX.toMillis()) {
            throw new IllegalArgumentException("'" + text + "' is longer than a year");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
