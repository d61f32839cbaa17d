package io.flhetero.profile;

/**
 * FedBuff's settings (Nguyen et al., 2022): clients train continuously on the model version they last received,
 * and the server aggregates every {@code bufferSize} updates. A profile's {@code rounds} are then model versions.
 *
 * @param bufferSize         updates per aggregation (K)
 * @param concurrency        clients training at once
 * @param maxStaleness       updates based on a version older than this many aggregations are dropped; 0: none are
 * @param stalenessWeighting how much a stale update counts: {@code sqrt} (1/sqrt(1+s), the paper's), {@code none}
 *                           or {@code poly(A)} ((1+s)^-A)
 * @param frequencyCorrection whether an update also counts by how long its work took, so that clients that come back
 *                           more often do not count more over the run ({@code frequency_correction: duration})
 * @param serverLearningRate the server's step on the buffered average update (the paper's eta_g)
 * @param evaluateEvery      versions between evaluations of the global model
 */
public record BufferSpec(int bufferSize, int concurrency, int maxStaleness, StalenessWeight stalenessWeighting,
                         boolean frequencyCorrection, double serverLearningRate, int evaluateEvery) {
}
