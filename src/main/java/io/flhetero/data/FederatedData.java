package io.flhetero.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a data set among clients as the original example did: the training set is partitioned over the
 * clients (IID or Dirichlet), and each client then splits its part into train and test and keeps a share of its
 * train part. Deterministic from the seed, so a client in a container can compute its own split alone.
 */
public final class FederatedData {

    private FederatedData() {
    }

    public static List<ClientData> split(ImageSet train, String partition, int clients, double testSplit,
                                         double dataPercentage, long seed) {
        List<int[]> parts = Partitioners.parse(partition).partition(train.labels(), clients, seed);
        List<ClientData> data = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            data.add(ClientSplit.split(train.subset(parts.get(i)), testSplit, dataPercentage, seed + i));
        }
        return data;
    }
}
