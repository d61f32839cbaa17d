package io.flhetero.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A folder in MNIST's layout, as MNIST and Fashion-MNIST are distributed: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each plain or
 * gzip-compressed with {@code .gz}. When both forms of a file are there, the {@code .gz} one is read: it is the
 * file as distributed, and gzip's checksum catches a corrupt copy.
 *
 * <p>The gray images are turned into {@link ImageSet}'s CIFAR-10 layout as they are read: centred on a black
 * 32x32 canvas (28x28 images get 2 pixels of 0 on every side) and copied into all three channels. One network then
 * serves every data set, so the memory model, the capacity policy and the parameter payloads are the same
 * whichever data set a run uses. Files are read from disk on every call to {@link #train()} or {@link #test()}.
 */
public final class IdxDirectory {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
    public static final String GZIP_SUFFIX = ".gz";
    /** The layout in words, for messages that tell the user what to give {@code --data-dir}. */
    public static final String LAYOUT = "a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,"
            + " t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each plain or .gz";

    private static final String FIX = "replace the files with an intact copy of the data set (plain or .gz),"
            + " or delete the folder to download it again";

    private final Path path;

    private IdxDirectory(Path path) {
        this.path = path;
    }

    /**
     * Opens {@code dir}, the folder holding the four files.
     *
     * @throws DataException listing the missing files and the folder searched
     */
    public static IdxDirectory at(Path dir) {
        List<String> missing = missingOrEmptyFiles(dir);
        if (!missing.isEmpty()) {
            throw new DataException("IDX data (MNIST's layout) is incomplete in " + dir.toAbsolutePath()
                    + ": missing or empty " + String.join(", ", missing) + " (plain or " + GZIP_SUFFIX
                    + "); pass --data-dir with " + LAYOUT + ", or delete the folder to download it again");
        }
        return new IdxDirectory(dir);
    }

    /** {@code dir} if all four files are there and not empty, for caches; their contents are checked on reading. */
    public static Optional<IdxDirectory> find(Path dir) {
        return missingOrEmptyFiles(dir).isEmpty() ? Optional.of(new IdxDirectory(dir)) : Optional.empty();
    }

    public Path path() {
        return path;
    }

    public ImageSet train() {
        return read(file(TRAIN_IMAGES), file(TRAIN_LABELS));
    }

    public ImageSet test() {
        return read(file(TEST_IMAGES), file(TEST_LABELS));
    }

    private Path file(String name) {
        return chosen(path, name);
    }

    private static ImageSet read(Path imageFile, Path labelFile) {
        IdxFile images = IdxFile.read(imageFile, 3);
        IdxFile labels = IdxFile.read(labelFile, 1);
        int n = images.dims()[0];
        int rows = images.dims()[1];
        int columns = images.dims()[2];
        if (rows > ImageSet.HEIGHT || columns > ImageSet.WIDTH) {
            throw new DataException(imageFile + " holds " + rows + "x" + columns + " images, larger than the "
                    + ImageSet.HEIGHT + "x" + ImageSet.WIDTH + " the network takes; only images of at most that size"
                    + " (MNIST and Fashion-MNIST: 28x28) can be padded into it, so use such a data set");
        }
        if ((long) n * ImageSet.PIXELS > Integer.MAX_VALUE) {
            throw new DataException(imageFile + " holds " + n + " images, more than the "
                    + Integer.MAX_VALUE / ImageSet.PIXELS + " one ImageSet holds at 32x32x3; use a smaller data set");
        }
        if (labels.dims()[0] != n) {
            throw new DataException(imageFile + " holds " + n + " images but " + labelFile + " holds "
                    + labels.dims()[0] + " labels; the two must come from the same data set and split: " + FIX);
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < n; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= ImageSet.CLASSES) {
                throw new DataException(labelFile + ": label " + i + " is " + label + " but labels must be 0.."
                        + (ImageSet.CLASSES - 1) + " (is this a data set of more classes?); " + FIX);
            }
        }
        return new ImageSet(toCifarLayout(images.data(), n, rows, columns), labelBytes);
    }

    /** Centres each gray image on a black 32x32 canvas and repeats it in all three channels. */
    private static byte[] toCifarLayout(byte[] gray, int n, int rows, int columns) {
        int top = (ImageSet.HEIGHT - rows) / 2;
        int left = (ImageSet.WIDTH - columns) / 2;
        int plane = ImageSet.HEIGHT * ImageSet.WIDTH;
        byte[] pixels = new byte[n * ImageSet.PIXELS];
        for (int i = 0; i < n; i++) {
            int source = i * rows * columns;
            int image = i * ImageSet.PIXELS;
            for (int y = 0; y < rows; y++) {
                for (int channel = 0; channel < ImageSet.CHANNELS; channel++) {
                    System.arraycopy(gray, source + y * columns,
                            pixels, image + channel * plane + (top + y) * ImageSet.WIDTH + left, columns);
                }
            }
        }
        return pixels;
    }

    /** The {@code .gz} form of {@code name} if it is there, otherwise the plain one. */
    private static Path chosen(Path dir, String name) {
        Path gz = dir.resolve(name + GZIP_SUFFIX);
        return Files.isRegularFile(gz) ? gz : dir.resolve(name);
    }

    private static List<String> missingOrEmptyFiles(Path dir) {
        return RequiredFiles.missingOrEmpty(FILES, name -> chosen(dir, name));
    }

    @Override
    public String toString() {
        return "IdxDirectory[" + path + "]";
    }
}
