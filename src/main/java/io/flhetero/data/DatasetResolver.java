package io.flhetero.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the data a profile asks for. CIFAR-10 comes from {@code --data-dir}, from the cache, or is downloaded into
 * the cache. Fashion-MNIST and MNIST come from {@code --data-dir}, from the cache, from the system folder that
 * Debian's {@code dataset-*} packages fill, or are downloaded into the cache, in that order. Synthetic
 * CIFAR-format data is generated when asked for, or as a fallback only when the user accepted it.
 */
public final class DatasetResolver {

    /** The generated stand-in has CIFAR-10's sizes unless told otherwise. */
    public static final int SYNTHETIC_TRAIN = 50_000;
    /** Where Debian's {@code dataset-fashion-mnist} and its kind install their data, one folder per data set. */
    public static final Path SYSTEM_ROOT = Path.of("/usr/share/datasets");

    private final Path dataDir;
    private final Path cacheDir;
    private final Path systemRoot;
    private final boolean allowSynthetic;
    private final int syntheticTrain;
    private final CifarDownloader cifarDownloader;
    private final Function<KnownDataset, IdxDownloader> idxDownloaders;
    private final Consumer<String> warn;

    /**
     * @param dataDir        an existing copy of the data set asked for, or null to look further
     * @param systemRoot     the folder holding system-wide data sets, {@link #SYSTEM_ROOT} but in tests
     * @param allowSynthetic fall back to synthetic data when the data set cannot be had
     * @param idxDownloaders the downloader of each IDX data set
     * @param warn           where the loud fallback warning goes
     */
    public DatasetResolver(Path dataDir, Path cacheDir, Path systemRoot, boolean allowSynthetic, int syntheticTrain,
                           CifarDownloader cifarDownloader, Function<KnownDataset, IdxDownloader> idxDownloaders,
                           Consumer<String> warn) {
        this.dataDir = dataDir;
        this.cacheDir = cacheDir;
        this.systemRoot = systemRoot;
        this.allowSynthetic = allowSynthetic;
        this.syntheticTrain = syntheticTrain;
        this.cifarDownloader = cifarDownloader;
        this.idxDownloaders = idxDownloaders;
        this.warn = warn;
    }

    /** IDX data sets from the system folder or their official locations, downloaded without progress. */
    public DatasetResolver(Path dataDir, Path cacheDir, boolean allowSynthetic, int syntheticTrain,
                           CifarDownloader downloader, Consumer<String> warn) {
        this(dataDir, cacheDir, SYSTEM_ROOT, allowSynthetic, syntheticTrain, downloader,
                dataset -> new IdxDownloader(dataset, (file, progress) -> { }), warn);
    }

    public Dataset resolve(String name, long seed) {
        KnownDataset dataset = KnownDataset.named(name).orElseThrow(() -> new DataException("'" + name
                + "' is not a data set fl-hetero knows; use one of " + String.join(", ",
                KnownDataset.profileNames().stream().sorted().toList()) + " in --dataset or the profile's dataset.name"));
        if (dataDir != null && dataset.kind() != KnownDataset.Kind.GENERATED && !Files.isDirectory(dataDir)) {
            throw new DataException("--data-dir " + dataDir + (Files.exists(dataDir) ? " is not a folder" : " does not "
                    + "exist") + "; give the folder holding " + dataset.displayName() + "'s files, or leave --data-dir "
                    + "out to use the cache, the system's copy or a download");
        }
        return switch (dataset.kind()) {
            case GENERATED -> synthetic(seed, KnownDataset.SYNTHETIC);
            case CIFAR_BINARY -> cifar(seed);
            case IDX -> idx(dataset, seed);
        };
    }

    private Dataset cifar(long seed) {
        if (dataDir != null) {
            return cifar(CifarDirectory.at(dataDir));
        }
        try {
            return cifar(CifarDirectory.at(cifarDownloader.ensure(cacheDir)));
        } catch (DataException e) {
            return unavailable(KnownDataset.CIFAR10, seed, e, e.getMessage() + ". To run without CIFAR-10, pass"
                    + " --dataset synthetic, or --allow-synthetic to fall back to it when CIFAR-10 cannot be had");
        }
    }

    private Dataset idx(KnownDataset dataset, long seed) {
        if (dataDir != null) {
            return idx(dataset, IdxDirectory.at(dataDir));
        }
        Path cached = cacheDir.resolve(dataset.profileName());
        Path system = systemRoot.resolve(dataset.profileName());
        Optional<IdxDirectory> local = IdxDirectory.find(cached).or(() -> IdxDirectory.find(system));
        try {
            return idx(dataset, local.isPresent() ? local.get()
                    : IdxDirectory.at(idxDownloaders.apply(dataset).ensure(cacheDir)));
        } catch (DataException e) {
            String install = dataset.debianPackage().map(p -> "`apt-get install " + p + "` fills " + system)
                    .orElse("its four IDX files can be copied into " + system);
            String fallback = "--allow-synthetic falls back to synthetic data when " + dataset.displayName()
                    + " cannot be had";
            String message = local.isPresent()
                    ? e.getMessage() + "; other fixes: " + install + ", --data-dir takes " + IdxDirectory.LAYOUT
                            + ", --dataset synthetic runs without it, " + fallback
                    : dataset.displayName() + " is neither in " + cached + " nor in " + system + ", and "
                            + e.getMessage() + "; other fixes: " + install + ", " + fallback;
            return unavailable(dataset, seed, e, message);
        }
    }

    /** The loud synthetic fallback if the user accepted it, otherwise {@code message} as the error. */
    private Dataset unavailable(KnownDataset wanted, long seed, DataException cause, String message) {
        if (!allowSynthetic) {
            throw new DataException(message, cause);
        }
        warn.accept(wanted.displayName() + " could not be had: " + cause.getMessage());
        warn.accept("FALLING BACK TO SYNTHETIC DATA (--allow-synthetic). Accuracy figures of this run are NOT "
                + wanted.displayName() + " results; the run summary says so.");
        return synthetic(seed, wanted);
    }

    private Dataset synthetic(long seed, KnownDataset wanted) {
        int test = Math.max(10, syntheticTrain / 5);
        return new Dataset(KnownDataset.SYNTHETIC.profileName(), "generated with seed " + seed, true,
                SyntheticCifar.generate(syntheticTrain, seed), SyntheticCifar.generate(test, seed + 1), wanted);
    }

    private static Dataset cifar(CifarDirectory dir) {
        return new Dataset(KnownDataset.CIFAR10.profileName(), dir.path().toString(), false, dir.train(), dir.test());
    }

    private static Dataset idx(KnownDataset dataset, IdxDirectory dir) {
        return new Dataset(dataset.profileName(), dir.path().toString(), false, dir.train(), dir.test());
    }
}
