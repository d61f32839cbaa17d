package io.flhetero.data;

/**
 * The data a run trains on, with where it came from. {@code synthetic} travels into every log line and the run
 * summary, so that no synthetic result can pass for CIFAR-10.
 *
 * @param origin the folder it was read from, or how it was generated
 */
public record Dataset(String name, String origin, boolean synthetic, ImageSet train, ImageSet test) {

    public String describe() {
        return (synthetic ? "SYNTHETIC data (not CIFAR-10)" : "CIFAR-10") + ", " + train.size() + " train / "
                + test.size() + " test images, from " + origin;
    }
}
