package io.flhetero.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code cifar-10-batches-bin} folder: five training batches of 10,000 images and one test batch
 * of 10,000. Batches are read from disk on every call to {@link #train()} or {@link #test()}, so
 * keep the result rather than calling them repeatedly.
 */
public final class CifarDirectory {

    public static final String FOLDER_NAME = "cifar-10-batches-bin";
    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";

    private final Path path;

    private CifarDirectory(Path path) {
        this.path = path;
    }

    /**
     * Opens {@code dir}, which may be the {@code cifar-10-batches-bin} folder itself or a folder
     * containing it.
     *
     * @throws DataException listing the missing batch files and the folder searched
     */
    public static CifarDirectory at(Path dir) {
        Path folder = locate(dir);
        List<String> missing = missingOrEmptyFiles(folder);
        if (!missing.isEmpty()) {
            throw new DataException("CIFAR-10 data is incomplete in " + folder.toAbsolutePath()
                    + ": missing or empty " + String.join(", ", missing)
                    + "; pass --data-dir pointing at a cifar-10-batches-bin folder (or its parent),"
                    + " or delete the folder to download it again");
        }
        return new CifarDirectory(folder);
    }

    /** {@code dir} as a complete CIFAR-10 folder, or empty if any batch file is missing or has a bad size. */
    public static Optional<CifarDirectory> find(Path dir) {
        Path folder = locate(dir);
        if (!missingOrEmptyFiles(folder).isEmpty()) {
            return Optional.empty();
        }
        for (String name : allFiles()) {
            try {
                if (Files.size(folder.resolve(name)) % CifarBinaryFormat.RECORD_BYTES != 0) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new CifarDirectory(folder));
    }

    /**
     * Writes {@code train} as five batch files of near-equal size and {@code test} as the test batch
     * into {@code dir}, in the layout {@link #at} reads.
     */
    public static void write(Path dir, ImageSet train, ImageSet test) {
        int batches = TRAIN_FILES.size();
        if (train.size() < batches || test.size() < 1) {
            throw new IllegalArgumentException("need at least " + batches + " training images and 1 test image, got "
                    + train.size() + " and " + test.size());
        }
        for (int b = 0; b < batches; b++) {
            int from = (int) ((long) train.size() * b / batches);
            int to = (int) ((long) train.size() * (b + 1) / batches);
            int[] indices = new int[to - from];
            for (int k = 0; k < indices.length; k++) {
                indices[k] = from + k;
            }
            CifarBinaryFormat.write(dir.resolve(TRAIN_FILES.get(b)), train.subset(indices));
        }
        CifarBinaryFormat.write(dir.resolve(TEST_FILE), test);
    }

    public Path path() {
        return path;
    }

    /**
     * The five training batches, concatenated in order. They hold the same number of images (10,000 each in
     * CIFAR-10; {@link #write} splits evenly, give or take one): a batch with fewer was cut short, even at a
     * record boundary, and is refused rather than trained on.
     */
    public ImageSet train() {
        List<ImageSet> parts = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            parts.add(CifarBinaryFormat.read(path.resolve(name)));
        }
        int largest = parts.stream().mapToInt(ImageSet::size).max().orElse(0);
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).size() < largest - 1) {
                throw new DataException(path.resolve(TRAIN_FILES.get(i)) + " holds " + parts.get(i).size()
                        + " images where the other training batches hold up to " + largest + ": it was cut short; "
                        + "delete it and download again, or pass --data-dir with a complete copy of "
                        + FOLDER_NAME);
            }
        }
        return ImageSet.concat(parts);
    }

    public ImageSet test() {
        return CifarBinaryFormat.read(path.resolve(TEST_FILE));
    }

    private static Path locate(Path dir) {
        Path nested = dir.resolve(FOLDER_NAME);
        return Files.isDirectory(nested) ? nested : dir;
    }

    private static List<String> missingOrEmptyFiles(Path folder) {
        return RequiredFiles.missingOrEmpty(allFiles(), folder::resolve);
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return all;
    }

    @Override
    public String toString() {
        return "CifarDirectory[" + path + "]";
    }
}
