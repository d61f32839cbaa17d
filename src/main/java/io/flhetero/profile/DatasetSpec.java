package io.flhetero.profile;

/**
 * Which data the clients train on and how it is split.
 *
 * @param name           {@code cifar10}, {@code fashion-mnist}, {@code mnist} or {@code synthetic} (see
 *                       {@link io.flhetero.data.KnownDataset})
 * @param partition      {@code iid} or {@code dirichlet(alpha)}
 * @param dataPercentage share of each client's training split that it keeps, in (0, 1]
 * @param testSplit      share of each client's partition held out for federated evaluation, in (0, 1)
 */
public record DatasetSpec(String name, String partition, double dataPercentage, double testSplit, long seed) {

    public static final String CIFAR10 = "cifar10";
    public static final String SYNTHETIC = "synthetic";

    public boolean synthetic() {
        return SYNTHETIC.equals(name);
    }

    public DatasetSpec withName(String newName) {
        return new DatasetSpec(newName, partition, dataPercentage, testSplit, seed);
    }
}
