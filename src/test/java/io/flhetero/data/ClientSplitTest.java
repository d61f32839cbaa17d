package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientSplitTest {

    /** Images whose first pixel bytes encode their index, so splits can be traced back. */
    private static ImageSet numbered(int n) {
        byte[] pixels = new byte[n * ImageSet.PIXELS];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i * ImageSet.PIXELS] = (byte) (i & 0xFF);
            pixels[i * ImageSet.PIXELS + 1] = (byte) (i >> 8);
            labels[i] = (byte) (i % 10);
        }
        return ImageSet.of(pixels, labels);
    }

    private static Set<Integer> ids(ImageSet set) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < set.size(); i++) {
            ids.add(set.pixel(i, 0, 0, 0) | set.pixel(i, 0, 0, 1) << 8);
        }
        return ids;
    }

    @Test
    void splitsTrainAndTestBySizeWithoutOverlap() {
        ClientData data = ClientSplit.split(numbered(101), 0.2, 1.0, 42);
        assertEquals(20, data.test().size());
        assertEquals(81, data.train().size());
        Set<Integer> train = ids(data.train());
        Set<Integer> test = ids(data.test());
        assertEquals(81, train.size());
        train.retainAll(test);
        assertTrue(train.isEmpty(), "train and test overlap");
    }

    @Test
    void dataPercentageSubsamplesTrainOnly() {
        ImageSet partition = numbered(100);
        ClientData full = ClientSplit.split(partition, 0.2, 1.0, 5);
        ClientData part = ClientSplit.split(partition, 0.2, 0.29, 5);
        assertEquals(23, part.train().size(), "floor(0.29 * 80)");
        assertEquals(ids(full.test()), ids(part.test()), "the test set does not depend on the data percentage");
        assertTrue(ids(full.train()).containsAll(ids(part.train())));
        assertEquals(1, ClientSplit.split(partition, 0.2, 0.001, 5).train().size(), "keeps at least one");
    }

    @Test
    void sameSeedSameSplitAndOtherSeedOtherSplit() {
        ImageSet partition = numbered(60);
        ClientData a = ClientSplit.split(partition, 0.25, 0.5, 9);
        ClientData b = ClientSplit.split(partition, 0.25, 0.5, 9);
        ClientData c = ClientSplit.split(partition, 0.25, 0.5, 10);
        assertArrayEquals(a.train().labels(), b.train().labels());
        assertEquals(ids(a.test()), ids(b.test()));
        assertFalse(ids(a.test()).equals(ids(c.test())));
    }

    @Test
    void tinyPartitionsStillGetOneTestImage() {
        ClientData two = ClientSplit.split(numbered(2), 0.1, 1.0, 1);
        assertEquals(1, two.train().size());
        assertEquals(1, two.test().size());
        assertThrows(DataException.class, () -> ClientSplit.split(numbered(1), 0.2, 1.0, 1));
    }

    @Test
    void rejectsFractionsOutOfRange() {
        ImageSet partition = numbered(10);
        assertThrows(IllegalArgumentException.class, () -> ClientSplit.split(partition, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ClientSplit.split(partition, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ClientSplit.split(partition, 0.2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ClientSplit.split(partition, 0.2, 1.5, 1));
    }
}
