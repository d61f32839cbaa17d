package io.flhetero.profile;

/**
 * The network every client trains: MobileNetV2 with a width multiplier {@code alpha}.
 *
 * @param batchNormMomentum how slowly BatchNorm's running statistics follow the batches; Keras' 0.999 by default
 */
public record ModelSpec(String name, double alpha, double batchNormMomentum) {
}
