package io.flhetero.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Shuffles all indices and cuts them into contiguous shards whose sizes differ by at most one,
 * so each client sees roughly the global label distribution.
 */
public final class IidPartitioner implements Partitioner {

    @Override
    public List<int[]> partition(int[] labels, int clients, long seed) {
        Partitioners.checkClients(labels, clients);
        int n = labels.length;
        int[] order = Permutation.shuffled(n, new SplittableRandom(seed));
        List<int[]> shards = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            // Rounding down n*c/clients spreads the n % clients leftover indices one per shard.
            int from = (int) ((long) n * c / clients);
            int to = (int) ((long) n * (c + 1) / clients);
            shards.add(Arrays.copyOfRange(order, from, to));
        }
        return shards;
    }

    @Override
    public String toString() {
        return "iid";
    }
}
