package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryFormatTest {

    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesSameImages() throws IOException {
        ImageSet set = RandomImages.of(13, 3);
        Path file = dir.resolve("batch.bin");

        CifarBinaryFormat.write(file, set);
        ImageSet back = CifarBinaryFormat.read(file);

        assertEquals(13L * 3073, Files.size(file));
        assertArrayEquals(set.labels(), back.labels());
        for (int i = 0; i < set.size(); i++) {
            assertArrayEquals(set.image(i), back.image(i));
        }
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temp file may be left behind");
        }
    }

    @Test
    void recordLayoutIsLabelThenPixels() throws IOException {
        byte[] pixels = new byte[ImageSet.PIXELS];
        pixels[0] = 17;
        pixels[ImageSet.PIXELS - 1] = 99;
        Path file = dir.resolve("one.bin");
        CifarBinaryFormat.write(file, ImageSet.of(pixels, new byte[] {6}));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(6, bytes[0]);
        assertEquals(17, bytes[1]);
        assertEquals(99, bytes[3072]);
    }

    @Test
    void truncatedFileIsRejectedNamingTheFile() throws IOException {
        Path file = dir.resolve("data_batch_1.bin");
        CifarBinaryFormat.write(file, RandomImages.of(2, 4));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));

        DataException e = assertThrows(DataException.class, () -> CifarBinaryFormat.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("6046 bytes is not a multiple of 3073"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.createFile(dir.resolve("test_batch.bin"));
        DataException e = assertThrows(DataException.class, () -> CifarBinaryFormat.read(file));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
    }

    @Test
    void labelAboveNineIsRejectedNamingFileAndRecord() throws IOException {
        Path file = dir.resolve("bad.bin");
        CifarBinaryFormat.write(file, RandomImages.of(3, 5));
        byte[] bytes = Files.readAllBytes(file);
        bytes[2 * 3073] = 42;
        Files.write(file, bytes);

        DataException e = assertThrows(DataException.class, () -> CifarBinaryFormat.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("record 2 has label 42"), e.getMessage());
    }
}
