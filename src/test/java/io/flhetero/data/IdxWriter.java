package io.flhetero.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files of unsigned bytes, plain or gzip-compressed, as fixtures for the IDX readers and downloader. */
public final class IdxWriter {

    /** Gray 28x28 images and their labels, as written by {@link #directory}. */
    public record Images(byte[] gray, byte[] labels) {
    }

    private IdxWriter() {}

    static byte[] bytes(int[] dims, byte[] data, boolean gzip) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream target = gzip ? new GZIPOutputStream(buffer) : buffer;
             DataOutputStream out = new DataOutputStream(target)) {
            out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static void write(Path file, int[] dims, byte[] data, boolean gzip) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes(dims, data, gzip));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} random 28x28 images with labels {@code i % 10}. */
    public static Images images(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] gray = new byte[n * 28 * 28];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) (1 + random.nextInt(255));
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return new Images(gray, labels);
    }

    /** Writes the four files of MNIST's layout into {@code dir}, with {@code .gz} names when {@code gzip}. */
    public static void directory(Path dir, Images train, Images test, boolean gzip) {
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(IdxDirectory.TRAIN_IMAGES + suffix), new int[] {train.labels().length, 28, 28},
                train.gray(), gzip);
        write(dir.resolve(IdxDirectory.TRAIN_LABELS + suffix), new int[] {train.labels().length}, train.labels(), gzip);
        write(dir.resolve(IdxDirectory.TEST_IMAGES + suffix), new int[] {test.labels().length, 28, 28},
                test.gray(), gzip);
        write(dir.resolve(IdxDirectory.TEST_LABELS + suffix), new int[] {test.labels().length}, test.labels(), gzip);
    }
}
