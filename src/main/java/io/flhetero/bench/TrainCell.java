package io.flhetero.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured configuration of {@code bench train}: engine x threads x batch size.
 *
 * @param profileMillis milliseconds per training step by kind of operation (fused engine with --profile only)
 */
public record TrainCell(String engine, int threads, int batch, double imagesPerSecond, double stepMillis,
                        double evalImagesPerSecond, long peakRssMb, double paramReadMicros, double paramWriteMicros,
                        long parameters, Map<String, Double> profileMillis) {

    private static final String PREFIX = "CELL ";
    private static final String PROFILE = "PROFILE ";

    /** Lines on the child's stdout that the parent parses back: the cell, then its profile. */
    String toLines() {
        StringBuilder lines = new StringBuilder(String.format(Locale.ROOT, "%s%s %d %d %.3f %.3f %.3f %d %.3f %.3f %d",
                PREFIX, engine, threads, batch, imagesPerSecond, stepMillis, evalImagesPerSecond, peakRssMb,
                paramReadMicros, paramWriteMicros, parameters));
        profileMillis.forEach((kind, ms) -> lines.append(String.format(Locale.ROOT, "%n%s%.4f %s", PROFILE, ms, kind)));
        return lines.toString();
    }

    /** Parses a child's output: the cell line and any profile lines; null without a cell line. */
    static TrainCell parse(Iterable<String> output) {
        TrainCell cell = null;
        Map<String, Double> profile = new LinkedHashMap<>();
        for (String line : output) {
            if (line.startsWith(PREFIX)) {
                String[] f = line.substring(PREFIX.length()).trim().split(" ");
                cell = new TrainCell(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]),
                        Double.parseDouble(f[7]), Double.parseDouble(f[8]), Long.parseLong(f[9]), Map.of());
            } else if (line.startsWith(PROFILE)) {
                String[] f = line.substring(PROFILE.length()).split(" ", 2);
                profile.put(f[1], Double.parseDouble(f[0]));
            }
        }
        return cell == null ? null : new TrainCell(cell.engine, cell.threads, cell.batch, cell.imagesPerSecond,
                cell.stepMillis, cell.evalImagesPerSecond, cell.peakRssMb, cell.paramReadMicros, cell.paramWriteMicros,
                cell.parameters, profile);
    }
}
