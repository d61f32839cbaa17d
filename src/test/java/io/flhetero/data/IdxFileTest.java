package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFileTest {

    private static final int[] DIMS = {2, 3, 2};
    private static final byte[] DATA = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void roundTrip(boolean gzip) {
        Path file = dir.resolve("images");
        IdxWriter.write(file, DIMS, DATA, gzip);

        IdxFile read = IdxFile.read(file, 3);

        assertArrayEquals(DIMS, read.dims());
        assertArrayEquals(DATA, read.data());
    }

    @Test
    void gzipIsToldByItsMagicBytesNotTheName() throws IOException {
        Path plainNamedGz = dir.resolve("images.gz");
        Path gzNamedPlain = dir.resolve("images");
        IdxWriter.write(plainNamedGz, DIMS, DATA, false);
        IdxWriter.write(gzNamedPlain, DIMS, DATA, true);

        assertArrayEquals(DATA, IdxFile.read(plainNamedGz, 3).data());
        assertArrayEquals(DATA, IdxFile.read(gzNamedPlain, 3).data());
    }

    @Test
    void truncatedDataSaysHowManyBytesWereExpectedAndFound() throws IOException {
        Path file = dir.resolve("images");
        byte[] whole = IdxWriter.bytes(DIMS, DATA, false);
        Files.write(file, Arrays.copyOf(whole, whole.length - 5));

        String message = failure(file, 3);

        assertTrue(message.contains("truncated") && message.contains("12 data bytes but only 7"), message);
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncated() throws IOException {
        Path file = dir.resolve("images.gz");
        byte[] data = new byte[5000];
        Arrays.fill(data, (byte) 7);
        byte[] whole = IdxWriter.bytes(new int[] {5000}, data, true);
        Files.write(file, Arrays.copyOf(whole, whole.length - 12)); // cuts off gzip's trailer and some data

        String message = failure(file, 1);

        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void wrongMagicIsNotIdx() throws IOException {
        Path file = dir.resolve("images");
        byte[] bytes = IdxWriter.bytes(DIMS, DATA, false);
        bytes[0] = 0x50;
        Files.write(file, bytes);

        String message = failure(file, 3);

        assertTrue(message.contains("is not an IDX file: it starts with 0x50 0x00"), message);
    }

    @Test
    void wrongTypeByteNamesTheTypeFound() throws IOException {
        Path file = dir.resolve("images");
        byte[] bytes = IdxWriter.bytes(DIMS, DATA, false);
        bytes[2] = 0x0D;
        Files.write(file, bytes);

        String message = failure(file, 3);

        assertTrue(message.contains("type float (0x0d)") && message.contains("only unsigned bytes (0x08)"), message);
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        Path file = dir.resolve("images");
        byte[] whole = IdxWriter.bytes(DIMS, DATA, false);
        Files.write(file, Arrays.copyOf(whole, whole.length + 3));

        String message = failure(file, 3);

        assertTrue(message.contains("3 trailing bytes after the 12 data bytes"), message);
    }

    @Test
    void wrongDimensionCountIsRefused() {
        Path file = dir.resolve("labels");
        IdxWriter.write(file, new int[] {12}, DATA, false);

        String message = failure(file, 3);

        assertTrue(message.contains("has 1 dimensions where 3 are expected"), message);
    }

    @Test
    void zeroDimensionAndEmptyFileAreRefused() throws IOException {
        Path zero = dir.resolve("zero");
        IdxWriter.write(zero, new int[] {0}, new byte[0], false);
        Path empty = Files.createFile(dir.resolve("empty"));

        assertTrue(failure(zero, 1).contains("declares dimension 0 as 0"), failure(zero, 1));
        assertTrue(failure(empty, 1).contains("is empty"), failure(empty, 1));
    }

    /** The message, which must name the file. */
    private static String failure(Path file, int dimensions) {
        String message = assertThrows(DataException.class, () -> IdxFile.read(file, dimensions)).getMessage();
        assertTrue(message.contains(file.toString()), message);
        return message;
    }
}
