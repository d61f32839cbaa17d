package io.flhetero.cli;

import io.flhetero.data.CifarDownloader;
import io.flhetero.data.Dataset;
import io.flhetero.data.DatasetResolver;
import io.flhetero.profile.Profile;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where a command's training data comes from: the options {@code run} and {@code bench hetero} share. */
final class DataOptions {

    @Option(names = "--dataset", paramLabel = "cifar10|synthetic", description = "Override the profile's dataset.")
    String dataset;

    @Option(names = "--allow-synthetic", description = "If CIFAR-10 cannot be had (no network, no --data-dir), "
            + "train on synthetic CIFAR-format data instead, saying so loudly.")
    boolean allowSynthetic;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "An existing CIFAR-10 binary copy "
            + "(the cifar-10-batches-bin folder or its parent).")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where CIFAR-10 is downloaded and kept "
            + "(default: ~/.cache/fl-hetero).")
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

    private DatasetResolver resolver(PrintStream out) {
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "fl-hetero");
        CifarDownloader downloader = new CifarDownloader(progress -> {
            if (progress.totalKnown()) {
                out.printf(Locale.ROOT, "\rdownloading CIFAR-10: %3.0f%% of %d MB", progress.fraction() * 100,
                        progress.totalBytes() >> 20);
                if (progress.bytesDone() == progress.totalBytes()) {
                    out.println();
                }
            }
        });
        return new DatasetResolver(dataDir, cache, allowSynthetic, syntheticExamples, downloader,
                message -> System.err.println("WARNING: " + message));
    }
}
