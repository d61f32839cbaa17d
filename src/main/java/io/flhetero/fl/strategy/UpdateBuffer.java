package io.flhetero.fl.strategy;

import io.flhetero.profile.StalenessWeight;

/**
 * FedBuff's buffer: client updates (the parameters a client returns minus the version it started from), each
 * weighted by its training-set size and its staleness, applied to the global model once {@code size} of them are
 * in: w += eta * sum_i n_i f(s_i) (w_i - w_base(i)) / sum_i n_i. A stale update is scaled down, not renormalised
 * away, so that a buffer of stale updates moves the model less (as in the paper's 1/K sum of f(s) updates).
 *
 * <p>BatchNorm's running statistics are no trained weights: a difference of variances added to another variance
 * can go negative and break inference. They become the buffered clients' values averaged with the same weights,
 * as FedAvg averages them.
 */
public final class UpdateBuffer {

    private final int size;
    private final StalenessWeight weight;
    private final int maxStaleness;
    private final double serverLearningRate;
    /** Which parameters are statistics (averaged as values), not trained weights (moved by updates); null: none. */
    private final boolean[] statistics;
    private double[] sum;
    private double examples;
    private double statisticsWeight;
    private int count;

    /**
     * @param maxStaleness updates staler than this are refused; 0: none are
     * @param statistics   true for BatchNorm's running statistics in the parameters' layout; null: none
     */
    public UpdateBuffer(int size, StalenessWeight weight, int maxStaleness, double serverLearningRate,
                        boolean[] statistics) {
        this.size = size;
        this.weight = weight;
        this.maxStaleness = maxStaleness;
        this.serverLearningRate = serverLearningRate;
        this.statistics = statistics;
    }

    /** Whether an update this stale is taken at all. */
    public boolean accepts(int staleness) {
        return maxStaleness == 0 || staleness <= maxStaleness;
    }

    /** The factor an update of this staleness gets. */
    public double weightOf(int staleness) {
        return weight.of(staleness);
    }

    /** Adds one update; {@link #full()} says when the buffer is to be applied. */
    public void add(float[] parameters, float[] base, int dataExamples, int staleness) {
        if (parameters.length != base.length) {
            throw new IllegalArgumentException("an update of " + parameters.length + " parameters for a model of "
                    + base.length);
        }
        if (sum == null) {
            sum = new double[base.length];
        }
        double w = dataExamples * weight.of(staleness);
        for (int i = 0; i < base.length; i++) {
            sum[i] += w * (statistic(i) ? parameters[i] : (double) parameters[i] - base[i]);
        }
        examples += dataExamples;
        statisticsWeight += w;
        count++;
    }

    public boolean full() {
        return count >= size;
    }

    public int count() {
        return count;
    }

    /** The next global model from the buffered updates; the buffer is empty afterwards. */
    public float[] apply(float[] global) {
        if (count == 0) {
            return global;
        }
        float[] next = new float[global.length];
        double scale = examples > 0 ? serverLearningRate / examples : 0;
        for (int i = 0; i < global.length; i++) {
            next[i] = statistic(i) && statisticsWeight > 0 ? (float) (sum[i] / statisticsWeight)
                    : statistic(i) ? global[i] : (float) (global[i] + scale * sum[i]);
        }
        sum = null;
        examples = 0;
        statisticsWeight = 0;
        count = 0;
        return next;
    }

    private boolean statistic(int i) {
        return statistics != null && statistics[i];
    }
}
