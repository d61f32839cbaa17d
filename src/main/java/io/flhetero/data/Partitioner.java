package io.flhetero.data;

import java.util.List;

/** Divides a data set among federated clients. */
public interface Partitioner {

    /**
     * Returns, for each of {@code clients} clients, the indices into {@code labels} it receives.
     * Every index goes to exactly one client, and the same seed gives the same result.
     */
    List<int[]> partition(int[] labels, int clients, long seed);
}
