package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCifarTest {

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        ImageSet a = SyntheticCifar.generate(50, 1);
        ImageSet b = SyntheticCifar.generate(50, 1);
        ImageSet c = SyntheticCifar.generate(50, 2);
        assertArrayEquals(a.labels(), b.labels());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.image(i), b.image(i));
        }
        assertFalse(Arrays.equals(a.image(0), c.image(0)));
    }

    @Test
    void classesAreBalancedAndShuffled() {
        ImageSet set = SyntheticCifar.generate(1003, 3);
        int[] counts = set.classCounts();
        assertEquals(101, counts[0]);
        assertEquals(100, counts[9]);
        int[] labels = set.labels();
        boolean cyclic = true;
        for (int i = 0; i < labels.length && cyclic; i++) {
            cyclic = labels[i] == i % 10;
        }
        assertFalse(cyclic, "labels are shuffled");
    }

    @Test
    void nearestClassMeanBeatsChanceButImagesDiffer() {
        ImageSet train = SyntheticCifar.generate(1000, 10);
        ImageSet test = SyntheticCifar.generate(500, 11);
        double[][] means = new double[ImageSet.CLASSES][ImageSet.PIXELS];
        int[] counts = train.classCounts();
        for (int i = 0; i < train.size(); i++) {
            byte[] image = train.image(i);
            double[] mean = means[train.label(i)];
            for (int p = 0; p < ImageSet.PIXELS; p++) {
                mean[p] += (image[p] & 0xFF) / (double) counts[train.label(i)];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            byte[] image = test.image(i);
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < ImageSet.CLASSES; c++) {
                double distance = 0;
                for (int p = 0; p < ImageSet.PIXELS; p++) {
                    double d = (image[p] & 0xFF) - means[c][p];
                    distance += d * d;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        double accuracy = (double) correct / test.size();
        assertTrue(accuracy > 0.5, "nearest-class-mean accuracy " + accuracy);

        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < train.size(); i++) {
            distinct.add(Arrays.toString(train.image(i)));
        }
        assertEquals(train.size(), distinct.size(), "no two images are identical");
    }

    @Test
    void writeDirectoryUsesDifferentSeedsForTrainAndTest(@TempDir Path dir) {
        CifarDirectory written = SyntheticCifar.writeDirectory(dir, 100, 20, 5);
        ImageSet train = written.train();
        ImageSet test = written.test();
        assertEquals(100, train.size());
        assertEquals(20, test.size());
        assertFalse(Arrays.equals(train.image(0), test.image(0)));
        assertArrayEquals(train.image(7), CifarDirectory.at(dir).train().image(7));
    }
}
