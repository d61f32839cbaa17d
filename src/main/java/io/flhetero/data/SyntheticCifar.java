package io.flhetero.data;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Deterministic CIFAR-shaped stand-in data for runs without the real data set. Each class is a
 * colour plus a sine grating with its own orientation and frequency; every image shifts the
 * grating's phase and tilts it a little, scales its brightness, jitters its colour and adds pixel
 * noise. A small CNN learns it in a few hundred steps, yet no two images are alike and the colour
 * alone does not give the class away.
 */
public final class SyntheticCifar {

    private static final double PATTERN_AMPLITUDE = 45;
    private static final double COLOUR_JITTER = 35;
    private static final double NOISE = 30;
    private static final double MAX_TILT = Math.toRadians(8);

    /** Class prototypes are fixed, not seeded, so train and test sets drawn with different seeds match. */
    private static final double[][] CLASS_COLOUR = new double[ImageSet.CLASSES][];
    private static final double[] CLASS_ANGLE = new double[ImageSet.CLASSES];
    private static final double[] CLASS_CYCLES = new double[ImageSet.CLASSES];

    static {
        for (int c = 0; c < ImageSet.CLASSES; c++) {
            CLASS_COLOUR[c] = hueToRgb((double) c / ImageSet.CLASSES, 70, 110);
            CLASS_ANGLE[c] = Math.PI * (c % 5) / 5;
            CLASS_CYCLES[c] = c < 5 ? 2.5 : 5;
        }
    }

    private SyntheticCifar() {}

    /** {@code n} images, as many per class as possible (labels {@code i % 10}, shuffled), fixed by {@code seed}. */
    public static ImageSet generate(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("image count must be non-negative, got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % ImageSet.CLASSES;
        }
        Permutation.shuffle(labels, random);
        byte[] pixels = new byte[n * ImageSet.PIXELS];
        byte[] labelBytes = new byte[n];
        double[] grating = new double[ImageSet.HEIGHT * ImageSet.WIDTH];
        for (int i = 0; i < n; i++) {
            labelBytes[i] = (byte) labels[i];
            drawImage(labels[i], random, grating, pixels, i * ImageSet.PIXELS);
        }
        return new ImageSet(pixels, labelBytes);
    }

    /**
     * Writes a synthetic {@code cifar-10-batches-bin} layout into {@code dir}. Train and test use
     * different sub-seeds so the test images are new draws, not copies of training images.
     */
    public static CifarDirectory writeDirectory(Path dir, int trainSize, int testSize, long seed) {
        SplittableRandom seeds = new SplittableRandom(seed);
        long trainSeed = seeds.nextLong();
        long testSeed = seeds.nextLong();
        CifarDirectory.write(dir, generate(trainSize, trainSeed), generate(testSize, testSeed));
        return CifarDirectory.at(dir);
    }

    private static void drawImage(int label, SplittableRandom random, double[] grating, byte[] out, int offset) {
        double angle = CLASS_ANGLE[label] + (random.nextDouble() * 2 - 1) * MAX_TILT;
        double k = 2 * Math.PI * CLASS_CYCLES[label] / ImageSet.WIDTH;
        double kx = k * Math.cos(angle);
        double ky = k * Math.sin(angle);
        double phase = random.nextDouble() * 2 * Math.PI;
        double brightness = 0.75 + 0.5 * random.nextDouble();
        for (int y = 0; y < ImageSet.HEIGHT; y++) {
            for (int x = 0; x < ImageSet.WIDTH; x++) {
                grating[y * ImageSet.WIDTH + x] = PATTERN_AMPLITUDE * Math.sin(kx * x + ky * y + phase);
            }
        }
        int plane = ImageSet.HEIGHT * ImageSet.WIDTH;
        for (int ch = 0; ch < ImageSet.CHANNELS; ch++) {
            double base = CLASS_COLOUR[label][ch] + (random.nextDouble() * 2 - 1) * COLOUR_JITTER;
            for (int p = 0; p < plane; p++) {
                // Sum of two uniforms: a cheap bell-shaped noise, much faster than nextGaussian.
                double noise = (random.nextDouble() + random.nextDouble() - 1) * NOISE;
                double value = brightness * (base + grating[p]) + noise;
                out[offset + ch * plane + p] = (byte) Math.max(0, Math.min(255, (int) Math.round(value)));
            }
        }
    }

    /** A colour of the given hue (0..1) around grey level {@code mid}, {@code spread} away from it. */
    private static double[] hueToRgb(double hue, double spread, double mid) {
        double[] rgb = new double[3];
        for (int ch = 0; ch < 3; ch++) {
            rgb[ch] = mid + spread * Math.cos(2 * Math.PI * (hue - ch / 3.0));
        }
        return rgb;
    }
}
