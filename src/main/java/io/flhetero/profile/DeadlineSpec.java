package io.flhetero.profile;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A round's deadline for local work, as a profile states it: {@code none}, a fixed duration ({@code 45s}), or
 * derived from the fastest clients ({@code p50*1.5}: the median of the previous round's device times, times
 * 1.5).
 */
public record DeadlineSpec(double fixedSeconds, int percentile, double factor) {

    public static final DeadlineSpec NONE = new DeadlineSpec(0, 0, 0);
    private static final Pattern DERIVED = Pattern.compile("p(\\d{1,3})\\s*\\*\\s*(\\d+(?:\\.\\d+)?)");

    /** @throws IllegalArgumentException naming the forms it accepts */
    public static DeadlineSpec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        Matcher m = DERIVED.matcher(t);
        if (m.matches()) {
            int p = Integer.parseInt(m.group(1));
            double f = Double.parseDouble(m.group(2));
            if (p < 1 || p > 100 || !(f > 0)) {
                throw new IllegalArgumentException("'" + text + "' needs a percentile in 1..100 and a factor > 0");
            }
            return new DeadlineSpec(0, p, f);
        }
        try {
            return new DeadlineSpec(TimeSpan.parse(t).toMillis() / 1e3, 0, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a deadline");
        }
    }

    public boolean derived() {
        return percentile > 0;
    }

    @Override
    public String toString() {
        return fixedSeconds > 0 ? TimeSpan.format(Duration.ofMillis(Math.round(fixedSeconds * 1000)))
                : derived() ? "p" + percentile + "*" + factor : "none";
    }
}
