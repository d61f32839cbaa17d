package io.flhetero.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flhetero.jvm.ThisHost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The in-process device model fitted to this host's containers by {@code bench calibrate}: what a batch of work
 * costs this host's engine ({@link WorkCost}, so that device time is counted from the work, the same every run);
 * for each measured CPU share, the ratio of a container's fit and evaluation time to that count once warm; and
 * the extra time of a fresh JVM's first fits and evaluations on a device of that share (JIT compilation, which in
 * a container runs on the same CPU quota). Kept per host and per JAR: either changing changes the figures.
 *
 * @param mix            the device mix it was fitted on: its profile and CPU shares
 * @param mixCpus        that mix's CPU limits together: containers contend for the host's cores by it (0: unknown)
 * @param cost           what work costs here, at one full CPU
 * @param cpus           the CPU shares measured, ascending
 * @param fitRatio       container fit time / model fit time, per CPU share, once warm
 * @param evaluateRatio  the same for evaluation
 * @param fitWarmup      per CPU share, extra seconds of a fresh process's first, second ... fit; none after these
 * @param evaluateWarmup the same for evaluations
 */
public record DeviceCalibration(String host, String jar, String measured, String mix, double mixCpus, WorkCost cost,
                                double[] cpus, double[] fitRatio, double[] evaluateRatio, double[][] fitWarmup,
                                double[][] evaluateWarmup) {

    public DeviceCalibration {
        mix = mix == null ? "" : mix; // kept by builds that did not record it
        if (host == null || jar == null || measured == null || cpus == null || fitRatio == null
                || evaluateRatio == null || fitWarmup == null || evaluateWarmup == null || cpus.length == 0
                || fitRatio.length != cpus.length || evaluateRatio.length != cpus.length
                || fitWarmup.length != cpus.length || evaluateWarmup.length != cpus.length) {
            throw new IllegalArgumentException("a device calibration needs host, jar, measured, and one fit and "
                    + "evaluation ratio and warm-up per CPU share");
        }
        for (int i = 1; i < cpus.length; i++) {
            if (!(cpus[i] > cpus[i - 1])) {
                throw new IllegalArgumentException("the CPU shares of a device calibration must ascend");
            }
        }
    }

    /** No calibration: device time is the clients' measured CPU time scaled by the CPU share, no warm-up. */
    public static final DeviceCalibration NONE = new DeviceCalibration("", "", "", "", 0, null, new double[] {1},
            new double[] {1}, new double[] {1}, new double[][] {{}}, new double[][] {{}});

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public boolean none() {
        return cost == null;
    }

    /**
     * Why this fit may not predict a mix of devices with these CPU shares, if it may not: containers that contend
     * for this host's cores more or less than those of the mix it was fitted on take longer or shorter than it says
     * (up to 45 % measured, docs/BENCHMARKS.md), and a share outside those measured takes the nearest one's. The limits
     * together are those of every client: a mix that trains a sample of its clients a round is told too.
     */
    public Optional<String> mixWarning(List<Double> shares) {
        if (none() || shares.isEmpty()) {
            return Optional.empty();
        }
        List<String> why = new ArrayList<>();
        double together = shares.stream().mapToDouble(Double::doubleValue).sum();
        if (mixCpus > 0 && Math.abs(together / mixCpus - 1) > MIX_TOLERANCE) {
            why.add(String.format(Locale.ROOT, "its devices have %.2f CPUs of limits together against %.2f of %s, so "
                    + "containers contend for this host's cores differently", together, mixCpus, mix));
        }
        List<String> outside = shares.stream().filter(c -> c < cpus[0] * (1 - MIX_TOLERANCE)
                || c > cpus[cpus.length - 1] * (1 + MIX_TOLERANCE)).distinct().sorted().map(String::valueOf).toList();
        if (!outside.isEmpty()) {
            why.add((outside.size() == 1 ? "CPU share " + outside.get(0) + " is" : "CPU shares "
                    + String.join(", ", outside) + " are") + " outside those measured (" + cpus[0] + " to "
                    + cpus[cpus.length - 1] + ")");
        }
        return why.isEmpty() ? Optional.empty() : Optional.of("this mix is not the one the device model was fitted "
                + "on: " + String.join("; ", why) + ". Its device times may be tens of percent off; `bench calibrate "
                + "-p PROFILE` fits the model on it");
    }

    /** How far a mix's CPU limits together, or a share, may lie off the calibration's before a run is told. */
    static final double MIX_TOLERANCE = 0.1;

    public double fitRatio(double cpus) {
        return interpolate(cpus, fitRatio);
    }

    public double evaluateRatio(double cpus) {
        return interpolate(cpus, evaluateRatio);
    }

    /** Linear in the CPU share between the measured ones, the nearest one's outside them. */
    private double interpolate(double c, double[] values) {
        if (c <= cpus[0]) {
            return values[0];
        }
        for (int i = 1; i < cpus.length; i++) {
            if (c <= cpus[i]) {
                double t = (c - cpus[i - 1]) / (cpus[i] - cpus[i - 1]);
                return values[i - 1] + t * (values[i] - values[i - 1]);
            }
        }
        return values[values.length - 1];
    }

    /** Extra seconds of a fresh device's {@code index}-th fit or evaluation (0: the first). */
    public double warmupSeconds(double cpus, boolean evaluation, int index) {
        double[][] extra = evaluation ? evaluateWarmup : fitWarmup;
        double[] atIndex = new double[extra.length];
        for (int i = 0; i < extra.length; i++) {
            atIndex[i] = index < extra[i].length ? extra[i][index] : 0;
        }
        return interpolate(cpus, atIndex);
    }

    /** Where the calibration of this host and JAR is kept. */
    public static Path file(Path cacheDir, String jarTag) {
        return cacheDir.resolve("calibration").resolve("device-model-" + hostName() + "-" + jarTag + ".json");
    }

    /** The calibration of this host and JAR, if {@code bench calibrate} made one. */
    public static Optional<DeviceCalibration> load(Path cacheDir, String jarTag) {
        Path file = file(cacheDir, jarTag);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), DeviceCalibration.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read the device calibration " + file + " (" + e.getMessage()
                    + "); remove it, or run `bench calibrate` again", e instanceof IOException io ? io
                    : new IOException(e));
        }
    }

    public Path save(Path cacheDir) {
        Path file = file(cacheDir, jar);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the device calibration " + file + ": " + e.getMessage(), e);
        }
    }

    /** This host's name as a file name takes it. */
    public static String hostName() {
        return ThisHost.name().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCalibration c && host.equals(c.host) && jar.equals(c.jar)
                && measured.equals(c.measured) && mix.equals(c.mix) && mixCpus == c.mixCpus
                && Objects.equals(cost, c.cost) && Arrays.equals(cpus, c.cpus) && Arrays.equals(fitRatio, c.fitRatio)
                && Arrays.equals(evaluateRatio, c.evaluateRatio) && Arrays.deepEquals(fitWarmup, c.fitWarmup)
                && Arrays.deepEquals(evaluateWarmup, c.evaluateWarmup);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus) * 31 + host.hashCode();
    }

    @Override
    public String toString() {
        return "DeviceCalibration[" + host + ", " + jar + ", " + measured + ", on " + mix + ", " + cost + ", cpus "
                + Arrays.toString(cpus)
                + ", fit " + Arrays.toString(fitRatio) + ", evaluate " + Arrays.toString(evaluateRatio)
                + ", warm-up fit " + Arrays.deepToString(fitWarmup) + ", evaluate "
                + Arrays.deepToString(evaluateWarmup)
                + "]";
    }
}
