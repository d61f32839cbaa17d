package io.flhetero.profile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How much an update computed on an older model version counts: a function of its staleness s >= 0. */
public final class StalenessWeight {

    private static final Pattern POLY = Pattern.compile("poly\\(\\s*([0-9]*\\.?[0-9]+)\\s*\\)");

    private final double exponent;
    private final String text;

    private StalenessWeight(double exponent, String text) {
        this.exponent = exponent;
        this.text = text;
    }

    /**
     * {@code sqrt}: 1/sqrt(1+s), FedBuff's; {@code none}: 1; {@code poly(A)}: (1+s)^-A.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static StalenessWeight parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("sqrt")) {
            return new StalenessWeight(0.5, t);
        }
        if (t.equals("none")) {
            return new StalenessWeight(0, t);
        }
        Matcher m = POLY.matcher(t);
        if (m.matches()) {
            return new StalenessWeight(Double.parseDouble(m.group(1)), t);
        }
        throw new IllegalArgumentException("'" + text + "' is not a staleness weighting");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StalenessWeight w && w.exponent == exponent;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(exponent);
    }

    /** As a profile writes it. */
    @Override
    public String toString() {
        return text;
    }

    public double of(int staleness) {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness " + staleness + " < 0");
        }
        return exponent == 0 ? 1 : Math.pow(1 + staleness, -exponent);
    }
}
