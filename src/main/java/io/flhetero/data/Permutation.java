package io.flhetero.data;

import java.util.SplittableRandom;

/** Seeded Fisher–Yates shuffles, so every split in this package is reproducible from its seed. */
public final class Permutation {

    private Permutation() {}

    /** 0..n-1 in an order determined by {@code random}. */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    public static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
