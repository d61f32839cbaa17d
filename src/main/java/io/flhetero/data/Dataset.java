package io.flhetero.data;

/**
 * The data a run trains on, with where it came from. {@code synthetic} travels into every log line and the run
 * summary, so that no synthetic result can pass for a real data set.
 *
 * @param name      the data set's name in profiles; {@code synthetic} for generated data
 * @param origin    the folder it was read from, or how it was generated
 * @param requested the data set the profile asked for: the one {@code name} names, except after a fallback to
 *                  synthetic data, which it then says the data is not
 */
public record Dataset(String name, String origin, boolean synthetic, ImageSet train, ImageSet test,
                      KnownDataset requested) {

    /** Data that is what its name says. */
    public Dataset(String name, String origin, boolean synthetic, ImageSet train, ImageSet test) {
        this(name, origin, synthetic, train, test, KnownDataset.named(name)
                .orElseThrow(() -> new IllegalArgumentException("no data set is named '" + name + "'")));
    }

    public String describe() {
        String what;
        if (!synthetic) {
            what = requested.describe();
        } else if (requested == KnownDataset.SYNTHETIC) {
            what = "SYNTHETIC data (CIFAR-format, not a real data set)";
        } else {
            what = label();
        }
        return what + ", " + train.size() + " train / " + test.size() + " test images, from " + origin;
    }

    /** What the data is in a few words, for lines that report results on it: synthetic data never passes for real. */
    public String label() {
        if (!synthetic) {
            return requested.displayName();
        }
        return requested == KnownDataset.SYNTHETIC ? "SYNTHETIC data"
                : "SYNTHETIC data (not " + requested.displayName() + ")";
    }
}
