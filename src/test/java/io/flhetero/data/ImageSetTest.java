package io.flhetero.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageSetTest {

    @Test
    void toDataSetHasNchwFeaturesInUnitRangeAndOneHotLabels() {
        byte[] pixels = new byte[2 * ImageSet.PIXELS];
        pixels[0] = (byte) 255; // image 0, red, (0,0)
        pixels[1024 + 32 + 1] = (byte) 51; // image 0, green, (1,1)
        pixels[ImageSet.PIXELS + 2048 + 31 * 32 + 31] = (byte) 128; // image 1, blue, (31,31)
        ImageSet set = ImageSet.of(pixels, new byte[] {3, 9});

        DataSet ds = set.toDataSet();

        assertArrayEquals(new long[] {2, 3, 32, 32}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {2, 10}, ds.getLabels().shape());
        assertEquals(DataType.FLOAT, ds.getFeatures().dataType());
        assertEquals(1.0f, ds.getFeatures().getFloat(0, 0, 0, 0), 1e-6);
        assertEquals(0.2f, ds.getFeatures().getFloat(0, 1, 1, 1), 1e-6);
        assertEquals(128 / 255f, ds.getFeatures().getFloat(1, 2, 31, 31), 1e-6);
        assertEquals(0f, ds.getFeatures().getFloat(1, 0, 0, 0), 1e-6);
        assertEquals(1f, ds.getLabels().getFloat(0, 3));
        assertEquals(1f, ds.getLabels().getFloat(1, 9));
        assertEquals(2.0, ds.getLabels().sumNumber().doubleValue(), 1e-6);
    }

    @Test
    void toDataSetSliceMatchesWholeSet() {
        ImageSet set = RandomImages.of(7, 1);
        DataSet all = set.toDataSet();
        DataSet slice = set.toDataSet(2, 5);
        assertArrayEquals(new long[] {3, 3, 32, 32}, slice.getFeatures().shape());
        assertEquals(all.getFeatures().get(NDArrayIndex.interval(2, 5)), slice.getFeatures());
        assertEquals(all.getLabels().get(NDArrayIndex.interval(2, 5)), slice.getLabels());
        assertThrows(IllegalArgumentException.class, () -> set.toDataSet(3, 3));
        assertThrows(IllegalArgumentException.class, () -> set.toDataSet(0, 8));
    }

    @Test
    void subsetConcatAndCounts() {
        ImageSet set = RandomImages.of(12, 2);
        ImageSet picked = set.subset(new int[] {5, 0, 11});
        assertArrayEquals(new int[] {5, 0, 1}, picked.labels());
        assertArrayEquals(set.image(11), picked.image(2));
        assertEquals(set.pixel(5, 2, 3, 4), picked.pixel(0, 2, 3, 4));

        ImageSet joined = ImageSet.concat(List.of(picked, set));
        assertEquals(15, joined.size());
        assertArrayEquals(set.image(0), joined.image(3));
        assertArrayEquals(new int[] {3, 3, 1, 1, 1, 2, 1, 1, 1, 1}, joined.classCounts());
        assertEquals(0, ImageSet.concat(List.of()).size());
    }

    @Test
    void isImmutableAndRejectsBadInput() {
        byte[] pixels = new byte[ImageSet.PIXELS];
        byte[] labels = {4};
        ImageSet set = ImageSet.of(pixels, labels);
        pixels[0] = 9;
        labels[0] = 1;
        set.labels()[0] = 7;
        set.image(0)[0] = 9;
        assertEquals(4, set.label(0));
        assertEquals(0, set.pixel(0, 0, 0, 0));

        assertThrows(IllegalArgumentException.class, () -> ImageSet.of(new byte[10], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> ImageSet.of(new byte[ImageSet.PIXELS], new byte[] {10}));
        assertThrows(IndexOutOfBoundsException.class, () -> set.subset(new int[] {1}));
    }
}
