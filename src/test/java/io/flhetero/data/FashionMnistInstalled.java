package io.flhetero.data;

import io.flhetero.testing.Requirement;

import java.nio.file.Path;

/**
 * The gate of tests on the real Fashion-MNIST, as Debian's {@code dataset-fashion-mnist} installs it: without it
 * they are skipped with a line saying why, except in CI (CI=true), where they fail: CI installs it (.ci/run).
 */
public final class FashionMnistInstalled {

    /** Where the package puts it, and where {@link DatasetResolver} looks for it. */
    public static final Path FOLDER = DatasetResolver.SYSTEM_ROOT.resolve(KnownDataset.FASHION_MNIST.profileName());

    private FashionMnistInstalled() {
    }

    /** Skips the calling test (fails it in CI) unless the four files are in {@link #FOLDER}. */
    public static void require() {
        if (IdxDirectory.find(FOLDER).isPresent()) {
            return;
        }
        Requirement.missing("Fashion-MNIST", FOLDER + " is missing or incomplete; `apt-get install "
                + "dataset-fashion-mnist` puts it there");
    }
}
