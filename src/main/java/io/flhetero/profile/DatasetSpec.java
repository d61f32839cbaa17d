package io.flhetero.profile;

import io.flhetero.data.KnownDataset;

/**
 * Which data the clients train on and how it is split.
 *
 * @param partition      {@code iid} or {@code dirichlet(alpha)}
 * @param dataPercentage share of each client's training split that it keeps, in (0, 1]
 * @param testSplit      share of each client's partition held out for federated evaluation, in (0, 1)
 */
public record DatasetSpec(KnownDataset dataset, String partition, double dataPercentage, double testSplit, long seed) {

    /** As profiles and {@code --dataset} spell it. */
    public String name() {
        return dataset.profileName();
    }

    public boolean synthetic() {
        return dataset == KnownDataset.SYNTHETIC;
    }

    public DatasetSpec withDataset(KnownDataset newDataset) {
        return new DatasetSpec(newDataset, partition, dataPercentage, testSplit, seed);
    }
}
