package io.flhetero.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flhetero.model.TrainingSpeed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * What containers on this host take against the in-process device model, fitted by {@code bench calibrate}: for
 * each measured CPU share, the ratio of a container's fit and evaluation time to the model's once warm, and the
 * extra time of a fresh JVM's first fits and evaluations (JIT compilation, which runs on threads the model does
 * not measure and, in a container, on the same CPU quota), in seconds of one full CPU. Kept per host and per JAR:
 * either changing changes the figures.
 *
 * @param cpus           the CPU shares measured, ascending
 * @param fitRatio       container fit time / model fit time, per CPU share, once warm
 * @param evaluateRatio  the same for evaluation
 * @param fitWarmup      extra seconds of a fresh process's first, second ... fit, at one full CPU (a 0.5-CPU device
 *                       takes twice as long); none after these
 * @param evaluateWarmup the same for evaluations
 */
public record DeviceCalibration(String host, String jar, String measured, double[] cpus, double[] fitRatio,
                                double[] evaluateRatio, double[] fitWarmup, double[] evaluateWarmup) {

    /** The model as it is without calibration: CPU time scaled by the CPU share, no warm-up. */
    public static final DeviceCalibration NONE = new DeviceCalibration("", "", "", new double[] {1},
            new double[] {1}, new double[] {1}, new double[0], new double[0]);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public boolean none() {
        return this == NONE || host.isEmpty();
    }

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
        double[] extra = evaluation ? evaluateWarmup : fitWarmup;
        return index < extra.length ? extra[index] / TrainingSpeed.of(cpus) : 0;
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the device calibration " + file + " (" + e.getMessage()
                    + "); remove it, or run `bench calibrate` again", e);
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

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCalibration c && host.equals(c.host) && jar.equals(c.jar)
                && measured.equals(c.measured) && Arrays.equals(cpus, c.cpus) && Arrays.equals(fitRatio, c.fitRatio)
                && Arrays.equals(evaluateRatio, c.evaluateRatio) && Arrays.equals(fitWarmup, c.fitWarmup)
                && Arrays.equals(evaluateWarmup, c.evaluateWarmup);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus) * 31 + host.hashCode();
    }

    @Override
    public String toString() {
        return "DeviceCalibration[" + host + ", " + jar + ", " + measured + ", cpus " + Arrays.toString(cpus)
                + ", fit " + Arrays.toString(fitRatio) + ", evaluate " + Arrays.toString(evaluateRatio)
                + ", warm-up fit " + Arrays.toString(fitWarmup) + ", evaluate " + Arrays.toString(evaluateWarmup)
                + "]";
    }
}
