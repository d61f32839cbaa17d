package io.flhetero.data;

import java.util.SplittableRandom;

/**
 * Samples from a symmetric Dirichlet distribution by normalising Gamma(alpha) draws
 * (Marsaglia and Tsang, 2000). Draws are kept as logarithms: for small alpha most Gamma draws
 * underflow to zero in plain doubles, which would make the normalisation divide by zero.
 */
final class DirichletDistribution {

    private DirichletDistribution() {}

    /** A probability vector of length {@code k} drawn from Dirichlet(alpha, ..., alpha). */
    static double[] sample(double alpha, int k, SplittableRandom random) {
        double[] logs = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            logs[i] = logGamma(alpha, random);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logs[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Logarithm of a Gamma(shape, 1) draw. */
    static double logGamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            // Boost: if X ~ Gamma(shape + 1) and U ~ U(0,1), X * U^(1/shape) ~ Gamma(shape).
            double u = 1 - random.nextDouble(); // (0,1], so the log is finite
            return logGamma(shape + 1, random) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return Math.log(d * v);
            }
        }
    }
}
