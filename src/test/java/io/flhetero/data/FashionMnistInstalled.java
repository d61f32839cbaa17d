package io.flhetero.data;

import org.junit.jupiter.api.Assumptions;

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
        String why = "Fashion-MNIST tests skipped: " + FOLDER + " is missing or incomplete; `apt-get install "
                + "dataset-fashion-mnist` puts it there";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the Fashion-MNIST tests, but: " + why);
        }
        System.out.println(why);
        Assumptions.abort(why);
    }
}
