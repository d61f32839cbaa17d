package io.flhetero.bench;

import java.util.Locale;

/** One measured configuration of {@code bench train}: threads x batch size. */
public record TrainCell(int threads, int batch, double imagesPerSecond, double stepMillis, long peakRssMb,
                        double paramReadMicros, double paramWriteMicros, long parameters) {

    private static final String PREFIX = "CELL ";

    /** One line on the child's stdout that the parent parses back. */
    String toLine() {
        return String.format(Locale.ROOT, "%s%d %d %.3f %.3f %d %.3f %.3f %d", PREFIX, threads, batch, imagesPerSecond,
                stepMillis, peakRssMb, paramReadMicros, paramWriteMicros, parameters);
    }

    static TrainCell parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        String[] f = line.substring(PREFIX.length()).trim().split(" ");
        return new TrainCell(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                Long.parseLong(f[7]));
    }
}
