package io.flhetero.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Label-skewed split: for every class, client shares are drawn from Dirichlet(alpha), so a small
 * alpha (e.g. 0.1) gives each client a few dominant classes and a large alpha (e.g. 100) approaches
 * an IID split.
 */
public final class DirichletPartitioner implements Partitioner {

    /** Redraws allowed when some client gets no examples, before asking the user to change settings. */
    static final int MAX_ATTEMPTS = 10;

    private final double alpha;

    public DirichletPartitioner(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Dirichlet alpha must be a positive number, got " + alpha);
        }
        this.alpha = alpha;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public List<int[]> partition(int[] labels, int clients, long seed) {
        Partitioners.checkClients(labels, clients);
        int[][] byClass = indicesByClass(labels);
        SplittableRandom random = new SplittableRandom(seed);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<int[]> result = draw(byClass, clients, random);
            if (result.stream().allMatch(indices -> indices.length > 0)) {
                return result;
            }
        }
        throw new DataException("Dirichlet partitioning with alpha=" + alpha + " left a client without examples in "
                + MAX_ATTEMPTS + " attempts (" + labels.length + " examples, " + clients
                + " clients); use a larger alpha or fewer clients");
    }

    private List<int[]> draw(int[][] byClass, int clients, SplittableRandom random) {
        int[][] assigned = new int[clients][];
        int[] counts = new int[clients];
        for (int c = 0; c < clients; c++) {
            assigned[c] = new int[16];
        }
        for (int[] classIndices : byClass) {
            if (classIndices.length == 0) {
                continue;
            }
            int[] shuffled = classIndices.clone();
            Permutation.shuffle(shuffled, random);
            double[] shares = DirichletDistribution.sample(alpha, clients, random);
            // Cut points at the rounded-down cumulative shares, as numpy's split of cumsum does.
            double cumulative = 0;
            int from = 0;
            for (int c = 0; c < clients; c++) {
                cumulative += shares[c];
                int to = c == clients - 1 ? shuffled.length
                        : Math.min(shuffled.length, (int) (cumulative * shuffled.length));
                for (int k = from; k < to; k++) {
                    if (counts[c] == assigned[c].length) {
                        assigned[c] = Arrays.copyOf(assigned[c], counts[c] * 2);
                    }
                    assigned[c][counts[c]++] = shuffled[k];
                }
                from = Math.max(from, to);
            }
        }
        List<int[]> result = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            int[] indices = Arrays.copyOf(assigned[c], counts[c]);
            Arrays.sort(indices);
            result.add(indices);
        }
        return result;
    }

    private static int[][] indicesByClass(int[] labels) {
        int classes = 0;
        for (int label : labels) {
            if (label < 0) {
                throw new IllegalArgumentException("labels must be non-negative, got " + label);
            }
            classes = Math.max(classes, label + 1);
        }
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] byClass = new int[classes][];
        for (int k = 0; k < classes; k++) {
            byClass[k] = new int[counts[k]];
        }
        int[] filled = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        return byClass;
    }

    @Override
    public String toString() {
        return "dirichlet(" + alpha + ")";
    }
}
