package io.flhetero.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * Immutable labelled images in CIFAR-10 layout: each image is 3x32x32 unsigned bytes, channel-major
 * (1024 red, then 1024 green, then 1024 blue values, rows top to bottom), with a label 0..9.
 *
 * <p>All images share one flat byte array, which keeps 60,000 images at 184 MB instead of paying an
 * object per image.
 */
public final class ImageSet {

    public static final int CHANNELS = 3;
    public static final int HEIGHT = 32;
    public static final int WIDTH = 32;
    public static final int PIXELS = CHANNELS * HEIGHT * WIDTH;

    /** What {@code images} labelled images take in memory: their pixel bytes and a label byte each. */
    public static long storedBytes(int images) {
        return (long) images * (PIXELS + 1);
    }
    public static final int CLASSES = 10;

    /** uint8 to [0,1] lookup; cheaper than a division per pixel on the conversion hot path. */
    private static final float[] UNIT_SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT_SCALE[v] = v / 255f;
        }
    }

    private final byte[] pixels;
    private final byte[] labels;

    /** Takes ownership of the arrays; callers in this package must not modify them afterwards. */
    ImageSet(byte[] pixels, byte[] labels) {
        if (pixels.length != (long) labels.length * PIXELS) {
            throw new IllegalArgumentException(
                    pixels.length + " pixel bytes do not match " + labels.length + " labels of " + PIXELS + " bytes");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= CLASSES) {
                throw new IllegalArgumentException("image " + i + " has label " + (labels[i] & 0xFF)
                        + "; labels must be 0.." + (CLASSES - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Copies the arrays: {@code pixels} holds {@code labels.length * PIXELS} bytes in CIFAR layout. */
    public static ImageSet of(byte[] pixels, byte[] labels) {
        return new ImageSet(pixels.clone(), labels.clone());
    }

    /** Takes ownership of the arrays, for a reader that made them (the event bus); nobody may write into them. */
    public static ImageSet wrap(byte[] pixels, byte[] labels) {
        return new ImageSet(pixels, labels);
    }

    public static ImageSet empty() {
        return new ImageSet(new byte[0], new byte[0]);
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    public int[] labels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i] & 0xFF;
        }
        return out;
    }

    /** Pixel value 0..255 of image {@code i}. */
    public int pixel(int i, int channel, int y, int x) {
        return pixels[i * PIXELS + (channel * HEIGHT + y) * WIDTH + x] & 0xFF;
    }

    /** A copy of image {@code i}'s 3072 bytes in CIFAR layout. */
    public byte[] image(int i) {
        return Arrays.copyOfRange(pixels, i * PIXELS, (i + 1) * PIXELS);
    }

    /** The images at {@code indices}, in that order; an index may repeat. */
    public ImageSet subset(int[] indices) {
        byte[] px = new byte[indices.length * PIXELS];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (labels.length - 1));
            }
            System.arraycopy(pixels, i * PIXELS, px, k * PIXELS, PIXELS);
            lb[k] = labels[i];
        }
        return new ImageSet(px, lb);
    }

    public static ImageSet concat(List<ImageSet> parts) {
        long total = 0;
        for (ImageSet part : parts) {
            total += part.size();
        }
        if (total * PIXELS > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(total + " images do not fit in one ImageSet");
        }
        byte[] px = new byte[(int) total * PIXELS];
        byte[] lb = new byte[(int) total];
        int at = 0;
        for (ImageSet part : parts) {
            System.arraycopy(part.pixels, 0, px, at * PIXELS, part.pixels.length);
            System.arraycopy(part.labels, 0, lb, at, part.labels.length);
            at += part.size();
        }
        return new ImageSet(px, lb);
    }

    /** Number of images per label, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[CLASSES];
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /** All images as features NCHW [n,3,32,32] in [0,1] and one-hot labels [n,10]. */
    public DataSet toDataSet() {
        return toDataSet(0, size());
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), as {@link #toDataSet()}. */
    public DataSet toDataSet(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException(
                    "slice [" + from + ", " + to + ") is empty or outside 0.." + size());
        }
        int n = to - from;
        // CIFAR's byte layout is already NCHW, so features are a straight element-wise copy.
        float[] features = new float[n * PIXELS];
        int offset = from * PIXELS;
        for (int k = 0; k < features.length; k++) {
            features[k] = UNIT_SCALE[pixels[offset + k] & 0xFF];
        }
        float[] oneHot = new float[n * CLASSES];
        for (int k = 0; k < n; k++) {
            oneHot[k * CLASSES + (labels[from + k] & 0xFF)] = 1f;
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, CHANNELS, HEIGHT, WIDTH}),
                Nd4j.create(oneHot, new long[] {n, CLASSES}));
    }

    /** Raw pixel bytes, for writers (files, the event bus); never modify. */
    public byte[] pixelBytes() {
        return pixels;
    }

    /** Raw label bytes, for writers; never modify. */
    public byte[] labelBytes() {
        return labels;
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " images]";
    }
}
