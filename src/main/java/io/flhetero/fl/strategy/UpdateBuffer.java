package io.flhetero.fl.strategy;

import io.flhetero.profile.StalenessWeight;

import java.util.HashMap;
import java.util.Map;

/**
 * FedBuff's buffer: client updates (the parameters a client returns minus the version it started from), applied to
 * the global model once {@code size} of them are in: w += eta * (1/K) sum_i a_i (w_i - w_base(i)), as in the paper's
 * 1/K sum of f(s_i)-weighted updates. A stale update is scaled down, not renormalised away, so that a buffer of stale
 * updates moves the model less.
 *
 * <p>The weight a_i = f(s_i) c_i / mean(c) says how much client i's update counts against an average one. Its
 * contribution c_i is its training-set size n_i (FedAvg's weight), times, with the frequency correction, the time
 * its work took. Without it, a client that comes back twice as often (a short job: little data, a light plan, a
 * fast device) counts twice as much over the run; on data skewed by client, its classes pull the model. Weighted by
 * its duration, each client's share per unit of time is n_i, as in a synchronous round. mean(c) is over the latest
 * contribution of each client seen, so that it is not itself biased towards the frequent ones.
 *
 * <p>BatchNorm's running statistics are no trained weights: a difference of variances added to another variance
 * can go negative and break inference. They move towards the buffered clients' values, averaged with the same
 * weights, by the share of the training clients the buffer holds (K / concurrency): a moving average over about the
 * last {@code concurrency} updates. Replaced by a buffer of two skewed clients' values, they followed those
 * clients' classes and the accuracy swung by 10-20 points from version to version (docs/BENCHMARKS.md).
 */
public final class UpdateBuffer {

    private final int size;
    private final StalenessWeight weight;
    private final boolean frequencyCorrection;
    private final int maxStaleness;
    private final double serverLearningRate;
    /** Which parameters are statistics (averaged as values), not trained weights (moved by updates); null: none. */
    private final boolean[] statistics;
    private final double statisticsStep;
    /** Each client's latest contribution c_i, and their sum. */
    private final Map<String, Double> contributions = new HashMap<>();
    private double contributionSum;
    private double[] sum;
    private double weights;
    private int count;

    /**
     * @param frequencyCorrection weight each update by the time its work took, too (see above)
     * @param maxStaleness        updates staler than this are refused; 0: none are
     * @param statistics          true for BatchNorm's running statistics in the parameters' layout; null: none
     * @param statisticsStep      how far (0..1] the statistics move towards the buffer's average
     */
    public UpdateBuffer(int size, StalenessWeight weight, boolean frequencyCorrection, int maxStaleness,
                        double serverLearningRate, boolean[] statistics, double statisticsStep) {
        this.size = size;
        this.weight = weight;
        this.frequencyCorrection = frequencyCorrection;
        this.maxStaleness = maxStaleness;
        this.serverLearningRate = serverLearningRate;
        this.statistics = statistics;
        this.statisticsStep = statisticsStep;
    }

    /** Whether an update this stale is taken at all. */
    public boolean accepts(int staleness) {
        return maxStaleness == 0 || staleness <= maxStaleness;
    }

    /**
     * Adds one update; {@link #full()} says when the buffer is to be applied.
     *
     * @param dataExamples the client's training-set size
     * @param seconds      how long its work took, from being handed out to its answer (device or wall time)
     * @return the update's weight a_i
     */
    public double add(String clientId, float[] parameters, float[] base, int dataExamples, double seconds,
                      int staleness) {
        if (parameters.length != base.length) {
            throw new IllegalArgumentException("an update of " + parameters.length + " parameters for a model of "
                    + base.length);
        }
        if (sum == null) {
            sum = new double[base.length];
        }
        double contribution = dataExamples * (frequencyCorrection ? (seconds > 1e-3 ? seconds : 1e-3) : 1);
        Double previous = contributions.put(clientId, contribution);
        contributionSum += contribution - (previous == null ? 0 : previous);
        double mean = contributionSum / contributions.size();
        double a = weight.of(staleness) * (mean > 0 ? contribution / mean : 1);
        for (int i = 0; i < base.length; i++) {
            sum[i] += a * (statistic(i) ? parameters[i] : (double) parameters[i] - base[i]);
        }
        weights += a;
        count++;
        return a;
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
        double scale = serverLearningRate / count;
        for (int i = 0; i < global.length; i++) {
            if (!statistic(i)) {
                next[i] = (float) (global[i] + scale * sum[i]);
            } else {
                next[i] = weights > 0 ? (float) (global[i] + statisticsStep * (sum[i] / weights - global[i]))
                        : global[i];
            }
        }
        sum = null;
        weights = 0;
        count = 0;
        return next;
    }

    private boolean statistic(int i) {
        return statistics != null && statistics[i];
    }
}
