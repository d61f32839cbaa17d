package io.flhetero.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a data set among clients as the original example did: the training set is partitioned over the
 * clients (IID or Dirichlet), and each client then splits its part into train and test and keeps a share of its
 * train part. Deterministic from the seed.
 */
public final class FederatedData {

    private FederatedData() {
    }

    /** Every client's data, by client index. */
    public static List<ClientData> split(ImageSet train, String partition, int clients, double testSplit,
                                         double dataPercentage, long seed) {
        List<int[]> parts = Partitioners.parse(partition).partition(train.labels(), clients, seed);
        List<ClientData> data = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            data.add(client(train, parts, i, testSplit, dataPercentage, seed));
        }
        return data;
    }

    private static ClientData client(ImageSet train, List<int[]> parts, int index, double testSplit,
                                     double dataPercentage, long seed) {
        return ClientSplit.split(train.subset(parts.get(index)), testSplit, dataPercentage, seed + index);
    }
}
