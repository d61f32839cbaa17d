package io.flhetero.data;

import java.util.SplittableRandom;

/** Small seeded ImageSets of random pixels for format and split tests. */
final class RandomImages {

    private RandomImages() {}

    static ImageSet of(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * ImageSet.PIXELS];
        byte[] labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % ImageSet.CLASSES);
        }
        return ImageSet.of(pixels, labels);
    }
}
