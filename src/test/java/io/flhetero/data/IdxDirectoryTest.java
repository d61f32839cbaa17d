package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxDirectoryTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void padsEachGrayImageTo32x32AndCopiesItIntoAllThreeChannels(boolean gzip) {
        IdxWriter.Images train = IdxWriter.images(3, 1);
        IdxWriter.Images test = IdxWriter.images(2, 2);
        IdxWriter.directory(dir, train, test, gzip);

        IdxDirectory data = IdxDirectory.at(dir);
        ImageSet images = data.train();

        assertEquals(3, images.size());
        assertArrayEquals(new int[] {0, 1, 2}, images.labels());
        assertArrayEquals(new int[] {0, 1}, data.test().labels());
        int image = 1;
        int offset = image * 28 * 28;
        for (int channel = 0; channel < 3; channel++) {
            assertEquals(train.gray()[offset] & 0xFF, images.pixel(image, channel, 2, 2), "gray (0,0) at (2,2)");
            assertEquals(train.gray()[offset + 27 * 28 + 27] & 0xFF, images.pixel(image, channel, 29, 29),
                    "gray (27,27) at (29,29)");
            assertEquals(train.gray()[offset + 5 * 28 + 9] & 0xFF, images.pixel(image, channel, 7, 11),
                    "gray (5,9) at (7,11)");
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean border = y < 2 || y >= 30 || x < 2 || x >= 30;
                    if (border) {
                        assertEquals(0, images.pixel(image, channel, y, x), "border at (" + y + "," + x + ")");
                    }
                }
            }
        }
    }

    @Test
    void smallerImagesAreCentred() {
        byte[] gray = new byte[30 * 30];
        gray[0] = 9;
        IdxWriter.write(dir.resolve(IdxDirectory.TRAIN_IMAGES), new int[] {1, 30, 30}, gray, false);
        IdxWriter.write(dir.resolve(IdxDirectory.TRAIN_LABELS), new int[] {1}, new byte[] {4}, false);
        IdxWriter.write(dir.resolve(IdxDirectory.TEST_IMAGES), new int[] {1, 30, 30}, gray, false);
        IdxWriter.write(dir.resolve(IdxDirectory.TEST_LABELS), new int[] {1}, new byte[] {4}, false);

        ImageSet images = IdxDirectory.at(dir).train();

        assertEquals(9, images.pixel(0, 2, 1, 1));
        assertEquals(0, images.pixel(0, 2, 0, 0));
    }

    @Test
    void theGzFileWinsWhenBothFormsAreThere() {
        IdxWriter.directory(dir, IdxWriter.images(3, 1), IdxWriter.images(2, 2), false);
        IdxWriter.write(dir.resolve(IdxDirectory.TRAIN_LABELS + ".gz"), new int[] {3}, new byte[] {7, 7, 7}, true);

        assertArrayEquals(new int[] {7, 7, 7}, IdxDirectory.at(dir).train().labels());
    }

    @Test
    void disagreeingCountsNameBothFiles() {
        IdxWriter.directory(dir, IdxWriter.images(3, 1), IdxWriter.images(2, 2), true);
        Path labels = dir.resolve(IdxDirectory.TRAIN_LABELS + ".gz");
        IdxWriter.write(labels, new int[] {4}, new byte[] {1, 2, 3, 4}, true);

        String message = assertThrows(DataException.class, () -> IdxDirectory.at(dir).train()).getMessage();

        assertTrue(message.contains(dir.resolve(IdxDirectory.TRAIN_IMAGES + ".gz") + " holds 3 images but "
                + labels + " holds 4 labels"), message);
    }

    @Test
    void labelOutOfRangeNamesFileIndexAndValue() {
        IdxWriter.directory(dir, IdxWriter.images(3, 1), IdxWriter.images(2, 2), false);
        Path labels = dir.resolve(IdxDirectory.TEST_LABELS);
        IdxWriter.write(labels, new int[] {2}, new byte[] {3, 10}, false);

        String message = assertThrows(DataException.class, () -> IdxDirectory.at(dir).test()).getMessage();

        assertTrue(message.contains(labels + ": label 1 is 10 but labels must be 0..9"), message);
    }

    @Test
    void imagesLargerThan32x32AreRefusedNamingTheFile() {
        IdxWriter.directory(dir, IdxWriter.images(1, 1), IdxWriter.images(1, 2), false);
        Path images = dir.resolve(IdxDirectory.TRAIN_IMAGES);
        IdxWriter.write(images, new int[] {1, 33, 28}, new byte[33 * 28], false);

        String message = assertThrows(DataException.class, () -> IdxDirectory.at(dir).train()).getMessage();

        assertTrue(message.contains(images + " holds 33x28 images, larger than the 32x32"), message);
    }

    @Test
    void missingFilesAreListedWithTheFolder() throws IOException {
        IdxWriter.directory(dir, IdxWriter.images(3, 1), IdxWriter.images(2, 2), true);
        Files.delete(dir.resolve(IdxDirectory.TRAIN_LABELS + ".gz"));
        Files.delete(dir.resolve(IdxDirectory.TEST_IMAGES + ".gz"));

        String message = assertThrows(DataException.class, () -> IdxDirectory.at(dir)).getMessage();

        assertTrue(message.contains("missing or empty train-labels-idx1-ubyte, t10k-images-idx3-ubyte (plain or .gz)"),
                message);
        assertTrue(message.contains(dir.toAbsolutePath().toString()), message);
        assertTrue(message.contains("--data-dir"), message);
        assertFalse(message.contains("missing or empty train-images"), message);
        assertTrue(IdxDirectory.find(dir).isEmpty());
    }

    @Test
    void readsDebiansFashionMnistWhenInstalled() {
        FashionMnistInstalled.require();

        IdxDirectory data = IdxDirectory.at(FashionMnistInstalled.FOLDER);
        ImageSet train = data.train();
        ImageSet test = data.test();

        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        int[] trainCounts = train.classCounts();
        int[] testCounts = test.classCounts();
        for (int c = 0; c < ImageSet.CLASSES; c++) {
            assertEquals(6_000, trainCounts[c], "training images of class " + c);
            assertEquals(1_000, testCounts[c], "test images of class " + c);
        }
        assertEquals(0, train.pixel(0, 0, 0, 0));
        assertEquals(train.pixel(0, 0, 16, 16), train.pixel(0, 2, 16, 16));
    }
}
