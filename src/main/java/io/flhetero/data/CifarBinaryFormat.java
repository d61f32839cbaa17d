package io.flhetero.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * CIFAR-10's official binary format: records of 3,073 bytes, one label byte followed by the 3,072
 * pixel bytes of {@link ImageSet}'s layout, with no header.
 */
public final class CifarBinaryFormat {

    public static final int RECORD_BYTES = 1 + ImageSet.PIXELS;

    private static final String FIX =
            "delete it and download again, or pass --data-dir with a complete copy of cifar-10-batches-bin";

    private CifarBinaryFormat() {}

    public static ImageSet read(Path file) {
        long size;
        byte[] bytes;
        try {
            size = Files.size(file);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new DataException(file + " is truncated or not a CIFAR-10 binary file: " + size
                        + " bytes is not a multiple of " + RECORD_BYTES + "-byte records; " + FIX);
            }
            if (size > Integer.MAX_VALUE) {
                throw new DataException(file + " is too large (" + size + " bytes) for one CIFAR-10 batch; " + FIX);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("Could not read " + file + " (" + e + "); " + FIX, e);
        }
        if (bytes.length != size) {
            throw new DataException(file + " changed size while being read; " + FIX);
        }
        int n = bytes.length / RECORD_BYTES;
        byte[] pixels = new byte[n * ImageSet.PIXELS];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = bytes[i * RECORD_BYTES] & 0xFF;
            if (label >= ImageSet.CLASSES) {
                throw new DataException(file + ": record " + i + " has label " + label
                        + " but CIFAR-10 labels are 0.." + (ImageSet.CLASSES - 1)
                        + " (is this CIFAR-100 or another format?); " + FIX);
            }
            labels[i] = (byte) label;
            System.arraycopy(bytes, i * RECORD_BYTES + 1, pixels, i * ImageSet.PIXELS, ImageSet.PIXELS);
        }
        return new ImageSet(pixels, labels);
    }

    /**
     * Writes {@code set} to {@code file}. The data goes to a temporary file in the same folder first
     * and is then renamed, so readers never see a half-written batch.
     */
    public static void write(Path file, ImageSet set) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            byte[] pixels = set.pixelBytes();
            byte[] labels = set.labelBytes();
            byte[] record = new byte[RECORD_BYTES];
            try (OutputStream out = Files.newOutputStream(temp)) {
                for (int i = 0; i < labels.length; i++) {
                    record[0] = labels[i];
                    System.arraycopy(pixels, i * ImageSet.PIXELS, record, 1, ImageSet.PIXELS);
                    out.write(record);
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new DataException("Could not write " + file + " (" + e + "); check that "
                    + dir + " is writable and has free space", e);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The write error is the one worth reporting.
        }
    }
}
