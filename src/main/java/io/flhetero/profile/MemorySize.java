package io.flhetero.profile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A memory limit as Docker understands it ("512m", "3g", "1.5g"): binary units, bytes underneath. */
public record MemorySize(long bytes) {

    /** More than any device: a larger figure is a typo, not a limit. */
    static final long MAX_BYTES = 1L << 50;

    private static final Pattern FORMAT =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

    public MemorySize {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory must be positive, got " + bytes + " bytes");
        }
    }

    /** Parses "512m", "3g", "1.5GiB", "2048k" or a plain byte count; throws IllegalArgumentException otherwise. */
    public static MemorySize parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a memory size");
        }
        double number = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1L;
        };
        if (number * unit > MAX_BYTES) {
            throw new IllegalArgumentException("'" + text + "' is more than 1 PiB (1024t)");
        }
        long bytes = Math.round(number * unit);
        if (bytes <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive memory size");
        }
        return new MemorySize(bytes);
    }

    public static MemorySize ofMegabytes(long mb) {
        return new MemorySize(mb << 20);
    }

    /** The shortest exact form: "3g", "512m", or bytes. */
    @Override
    public String toString() {
        for (String suffix : new String[] {"t", "g", "m", "k"}) {
            long unit = switch (suffix) {
                case "t" -> 1L << 40;
                case "g" -> 1L << 30;
                case "m" -> 1L << 20;
                default -> 1L << 10;
            };
            if (bytes % unit == 0) {
                return (bytes / unit) + suffix;
            }
        }
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2fg", bytes / (double) (1L << 30));
        }
        return Long.toString(bytes);
    }
}
