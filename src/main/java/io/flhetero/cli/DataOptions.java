package io.flhetero.cli;

import io.flhetero.data.CifarDownloader;
import io.flhetero.data.Dataset;
import io.flhetero.data.DatasetResolver;
import io.flhetero.data.HttpDownload;
import io.flhetero.data.IdxDownloader;
import io.flhetero.profile.Profile;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Where a command's training data comes from: the options {@code run} and {@code bench hetero} share. */
final class DataOptions {

    @Option(names = "--dataset", paramLabel = "cifar10|fashion-mnist|mnist|synthetic",
            description = "Override the profile's dataset.")
    String dataset;

    @Option(names = "--allow-synthetic", description = "If the data set cannot be had (no network, no --data-dir), "
            + "train on synthetic CIFAR-format data instead, saying so loudly.")
    boolean allowSynthetic;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "An existing copy of the data set: for cifar10 "
            + "the cifar-10-batches-bin folder or its parent; for fashion-mnist and mnist the folder holding "
            + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte "
            + "(plain or .gz).")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where data sets are downloaded and kept "
            + "(default: ~/.cache/fl-hetero): CIFAR-10 as cifar-10-batches-bin, Fashion-MNIST and MNIST as "
            + "fashion-mnist and mnist folders of IDX files.")
    Path cacheDir;

    @Option(names = "--synthetic-examples", defaultValue = "50000", paramLabel = "N",
            description = "Training images of the synthetic data set (default: ${DEFAULT-VALUE}, as CIFAR-10).")
    int syntheticExamples;

    /** The profile's data set, downloaded or generated as needed, with a line saying which it is. */
    Dataset resolve(Profile profile, PrintStream out) throws Exception {
        if (syntheticExamples < profile.clients() * 2) {
            throw new BadInputException("--synthetic-examples must be at least 2 per client (" + profile.clients() * 2
                    + ")");
        }
        Dataset data = resolver(out).resolve(profile.dataset().name(), profile.dataset().seed());
        out.println("dataset: " + data.describe());
        return data;
    }

    /** The same choices as options of {@code run}, for commands that start runs of their own. */
    List<String> asRunOptions() {
        List<String> options = new ArrayList<>(List.of("--synthetic-examples", Integer.toString(syntheticExamples)));
        if (allowSynthetic) {
            options.add("--allow-synthetic");
        }
        if (dataDir != null) {
            options.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
        }
        if (cacheDir != null) {
            options.addAll(List.of("--cache-dir", cacheDir.toAbsolutePath().toString()));
        }
        return options;
    }

    /** The cache folder: data sets, and what else is kept per host (the device calibration). */
    Path cache() {
        return cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "fl-hetero");
    }

    private DatasetResolver resolver(PrintStream out) {
        Path cache = cache();
        CifarDownloader cifar = new CifarDownloader(progressLine(out, "CIFAR-10"));
        return new DatasetResolver(dataDir, cache, DatasetResolver.SYSTEM_ROOT, allowSynthetic, syntheticExamples,
                cifar, dataset -> new IdxDownloader(dataset, (file, progress) ->
                        progressLine(out, dataset.displayName() + " " + file).accept(progress)),
                message -> System.err.println("WARNING: " + message));
    }

    /** One line per file, rewritten in place; label files of a few KB are not worth calling 0 MB. */
    private static Consumer<HttpDownload.Progress> progressLine(PrintStream out, String what) {
        return progress -> {
            if (progress.totalKnown()) {
                long total = progress.totalBytes();
                out.printf(Locale.ROOT, "\rdownloading %s: %3.0f%% of %s", what, progress.fraction() * 100,
                        total >= 1 << 20 ? (total >> 20) + " MB" : (total >> 10) + " KB");
                if (progress.bytesDone() == total) {
                    out.println();
                }
            }
        };
    }
}
