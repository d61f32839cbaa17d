package io.flhetero.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionerTest {

    private static final int[] BALANCED = IntStream.range(0, 5000).map(i -> i % 10).toArray();

    @Test
    void iidCoversEveryIndexOnceWithSizesWithinOne() {
        int[] labels = IntStream.range(0, 1003).map(i -> i % 10).toArray();
        List<int[]> parts = new IidPartitioner().partition(labels, 7, 42);
        assertCoversExactlyOnce(parts, labels.length);
        int min = parts.stream().mapToInt(p -> p.length).min().orElseThrow();
        int max = parts.stream().mapToInt(p -> p.length).max().orElseThrow();
        assertTrue(max - min <= 1, "sizes " + min + ".." + max);
    }

    @Test
    void iidIsSeeded() {
        Partitioner iid = new IidPartitioner();
        assertSamePartition(iid.partition(BALANCED, 5, 1), iid.partition(BALANCED, 5, 1));
        assertFalse(samePartition(iid.partition(BALANCED, 5, 1), iid.partition(BALANCED, 5, 2)));
    }

    @Test
    void dirichletCoversEveryIndexOnceAndIsSeeded() {
        Partitioner dirichlet = new DirichletPartitioner(0.5);
        List<int[]> parts = dirichlet.partition(BALANCED, 10, 7);
        assertCoversExactlyOnce(parts, BALANCED.length);
        assertSamePartition(parts, dirichlet.partition(BALANCED, 10, 7));
        assertFalse(samePartition(parts, dirichlet.partition(BALANCED, 10, 8)));
    }

    @Test
    void smallAlphaSkewsLabelsAndLargeAlphaIsNearUniform() {
        double skewed = meanTopClassShare(new DirichletPartitioner(0.1).partition(BALANCED, 10, 3));
        double uniform = meanTopClassShare(new DirichletPartitioner(1000).partition(BALANCED, 10, 3));
        assertTrue(skewed > 0.5, "alpha 0.1: mean share of a client's largest class " + skewed);
        assertTrue(uniform < 0.2, "alpha 1000: mean share of a client's largest class " + uniform);
    }

    @Test
    void dirichletGivesUpWithAdviceWhenClientsStayEmpty() {
        int[] few = IntStream.range(0, 12).map(i -> i % 2).toArray();
        DataException e = assertThrows(DataException.class,
                () -> new DirichletPartitioner(0.01).partition(few, 12, 1));
        assertTrue(e.getMessage().contains("larger alpha or fewer clients"), e.getMessage());
    }

    @Test
    void clientCountIsValidated() {
        int[] labels = {0, 1, 2};
        assertThrows(IllegalArgumentException.class, () -> new IidPartitioner().partition(labels, 0, 1));
        assertThrows(DataException.class, () -> new IidPartitioner().partition(labels, 4, 1));
        assertThrows(DataException.class, () -> new DirichletPartitioner(1).partition(labels, 4, 1));
        assertEquals(3, new IidPartitioner().partition(labels, 3, 1).size());
    }

    @Test
    void gammaDrawsHaveTheRightMean() {
        SplittableRandom random = new SplittableRandom(11);
        for (double shape : new double[] {0.3, 1, 2.5}) {
            double sum = 0;
            int n = 40_000;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(DirichletDistribution.logGamma(shape, random));
            }
            assertEquals(shape, sum / n, 0.05 * shape + 0.01, "mean of Gamma(" + shape + ")");
        }
        double[] p = DirichletDistribution.sample(0.001, 50, random);
        assertEquals(1.0, IntStream.range(0, 50).mapToDouble(i -> p[i]).sum(), 1e-9, "tiny alpha still sums to 1");
    }

    @Test
    void parseAcceptsDocumentedForms() {
        assertInstanceOf(IidPartitioner.class, Partitioners.parse(" IID "));
        assertEquals(0.5, ((DirichletPartitioner) Partitioners.parse("dirichlet(0.5)")).alpha());
        assertEquals(0.1, ((DirichletPartitioner) Partitioners.parse("dirichlet:0.1")).alpha());
        assertEquals("dirichlet(2.0)", Partitioners.parse("Dirichlet( 2 )").toString());
        for (String bad : new String[] {"", "pathological", "dirichlet", "dirichlet(x)", "dirichlet(-1)", "dirichlet:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Partitioners.parse(bad));
            assertTrue(e.getMessage().contains("'iid', 'dirichlet(ALPHA)' or 'dirichlet:ALPHA'"), e.getMessage());
        }
    }

    private static double meanTopClassShare(List<int[]> parts) {
        double total = 0;
        for (int[] part : parts) {
            int[] counts = new int[10];
            for (int i : part) {
                counts[BALANCED[i]]++;
            }
            total += (double) IntStream.of(counts).max().orElseThrow() / part.length;
        }
        return total / parts.size();
    }

    private static void assertCoversExactlyOnce(List<int[]> parts, int n) {
        int[] seen = new int[n];
        for (int[] part : parts) {
            assertTrue(part.length > 0, "every client gets data");
            for (int i : part) {
                seen[i]++;
            }
        }
        assertTrue(IntStream.of(seen).allMatch(c -> c == 1), "each index assigned exactly once");
    }

    private static void assertSamePartition(List<int[]> a, List<int[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
    }

    private static boolean samePartition(List<int[]> a, List<int[]> b) {
        return a.size() == b.size()
                && IntStream.range(0, a.size()).allMatch(i -> Arrays.equals(a.get(i), b.get(i)));
    }
}
