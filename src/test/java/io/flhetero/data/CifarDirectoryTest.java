package io.flhetero.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarDirectoryTest {

    @TempDir
    Path root;

    @Test
    void writeThenOpenFromFolderOrParent() throws IOException {
        ImageSet train = RandomImages.of(23, 6);
        ImageSet test = RandomImages.of(4, 7);
        Path folder = root.resolve("cifar-10-batches-bin");
        CifarDirectory.write(folder, train, test);

        for (long size : new long[] {
            Files.size(folder.resolve("data_batch_1.bin")), Files.size(folder.resolve("data_batch_5.bin"))}) {
            assertTrue(size == 4 * 3073 || size == 5 * 3073, "batch sizes near-equal: " + size);
        }
        CifarDirectory fromParent = CifarDirectory.at(root);
        CifarDirectory direct = CifarDirectory.at(folder);
        assertEquals(folder, fromParent.path());
        assertEquals(folder, direct.path());

        ImageSet readTrain = fromParent.train();
        assertArrayEquals(train.labels(), readTrain.labels());
        assertArrayEquals(train.image(22), readTrain.image(22));
        assertArrayEquals(test.labels(), direct.test().labels());
    }

    @Test
    void aBatchCutShortAtARecordBoundaryIsRefused() throws IOException {
        Path folder = root.resolve("cifar-10-batches-bin");
        CifarDirectory.write(folder, RandomImages.of(50, 6), RandomImages.of(4, 7));
        Path batch = folder.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(bytes, 4 * CifarBinaryFormat.RECORD_BYTES)); // 4 of its 10 images

        DataException e = assertThrows(DataException.class, () -> CifarDirectory.at(folder).train());
        assertTrue(e.getMessage().startsWith(batch + " holds 4 images where the other training batches hold up to 10"),
                e.getMessage());
    }

    @Test
    void missingFilesAreListedWithTheFolder() throws IOException {
        Path folder = root.resolve("cifar-10-batches-bin");
        CifarDirectory.write(folder, RandomImages.of(10, 8), RandomImages.of(2, 9));
        Files.delete(folder.resolve("data_batch_3.bin"));
        Files.delete(folder.resolve("test_batch.bin"));

        DataException e = assertThrows(DataException.class, () -> CifarDirectory.at(root));
        assertTrue(e.getMessage().contains("data_batch_3.bin, test_batch.bin"), e.getMessage());
        assertFalse(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
        assertTrue(e.getMessage().contains(folder.toAbsolutePath().toString()), e.getMessage());
        assertTrue(CifarDirectory.find(root).isEmpty());
    }

    @Test
    void emptyFolderReportsAllFiles() {
        DataException e = assertThrows(DataException.class, () -> CifarDirectory.at(root));
        assertTrue(e.getMessage().contains("data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin,"
                + " data_batch_5.bin, test_batch.bin"), e.getMessage());
    }
}
