package io.flhetero.data;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Finds the data a profile asks for: CIFAR-10 from {@code --data-dir}, from the cache, or downloaded into the
 * cache; synthetic CIFAR-format data when asked for, or as a fallback only when the user accepted it.
 */
public final class DatasetResolver {

    /** The generated stand-in has CIFAR-10's sizes unless told otherwise. */
    public static final int SYNTHETIC_TRAIN = 50_000;

    private final Path dataDir;
    private final Path cacheDir;
    private final boolean allowSynthetic;
    private final int syntheticTrain;
    private final CifarDownloader downloader;
    private final Consumer<String> warn;

    /**
     * @param dataDir        an existing CIFAR-10 copy, or null to use the cache
     * @param allowSynthetic fall back to synthetic data when CIFAR-10 cannot be had
     * @param warn           where the loud fallback warning goes
     */
    public DatasetResolver(Path dataDir, Path cacheDir, boolean allowSynthetic, int syntheticTrain,
                           CifarDownloader downloader, Consumer<String> warn) {
        this.dataDir = dataDir;
        this.cacheDir = cacheDir;
        this.allowSynthetic = allowSynthetic;
        this.syntheticTrain = syntheticTrain;
        this.downloader = downloader;
        this.warn = warn;
    }

    public Dataset resolve(String name, long seed) {
        if ("synthetic".equals(name)) {
            return synthetic(seed);
        }
        if (dataDir != null) {
            return cifar(CifarDirectory.at(dataDir));
        }
        try {
            return cifar(CifarDirectory.at(downloader.ensure(cacheDir)));
        } catch (DataException e) {
            if (!allowSynthetic) {
                throw new DataException(e.getMessage() + ". To run without CIFAR-10, pass --dataset synthetic, or "
                        + "--allow-synthetic to fall back to it when CIFAR-10 cannot be had", e);
            }
            warn.accept("CIFAR-10 could not be had: " + e.getMessage());
            warn.accept("FALLING BACK TO SYNTHETIC DATA (--allow-synthetic). Accuracy figures of this run are NOT "
                    + "CIFAR-10 results; the run summary says so.");
            return synthetic(seed);
        }
    }

    private Dataset synthetic(long seed) {
        int test = Math.max(10, syntheticTrain / 5);
        return new Dataset("synthetic", "generated with seed " + seed, true,
                SyntheticCifar.generate(syntheticTrain, seed), SyntheticCifar.generate(test, seed + 1));
    }

    private static Dataset cifar(CifarDirectory dir) {
        return new Dataset("cifar10", dir.path().toString(), false, dir.train(), dir.test());
    }
}
