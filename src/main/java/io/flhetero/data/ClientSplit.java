package io.flhetero.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Splits a client's partition into local train and test sets and optionally subsamples the train set. */
public final class ClientSplit {

    private ClientSplit() {}

    /**
     * Shuffles {@code partition} with {@code seed}; the last {@code round(n * testFraction)} images
     * (at least one) become the test set and the rest the train set, of which a random
     * {@code floor(dataPercentage * trainSize)} (at least one) are kept. Smaller data percentages
     * emulate clients that hold less data without changing the partition.
     */
    public static ClientData split(ImageSet partition, double testFraction, double dataPercentage, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be between 0 and 1 (exclusive), got " + testFraction);
        }
        if (!(dataPercentage > 0 && dataPercentage <= 1)) {
            throw new IllegalArgumentException("data percentage must be in (0, 1], got " + dataPercentage);
        }
        int n = partition.size();
        if (n < 2) {
            throw new DataException("a client partition of " + n + " images cannot be split into train and test;"
                    + " use fewer clients or a larger alpha so every client gets at least 2 images");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = Permutation.shuffled(n, random);
        int testSize = (int) Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
        int trainSize = n - testSize;
        int[] trainIndices = Arrays.copyOfRange(order, 0, trainSize);
        int[] testIndices = Arrays.copyOfRange(order, trainSize, n);

        // The epsilon keeps e.g. 0.29 * 100 = 28.999999999999996 from rounding down to 28.
        int keep = Math.max(1, (int) Math.floor(dataPercentage * trainSize + 1e-9));
        Permutation.shuffle(trainIndices, random);
        int[] kept = Arrays.copyOf(trainIndices, keep);
        return new ClientData(partition.subset(kept), partition.subset(testIndices));
    }
}
