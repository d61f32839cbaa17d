package io.flhetero.model;

/**
 * What one training step saw of its batch, before its update: the mean loss, and how many examples the forward pass
 * classified right (Keras' running training accuracy counts these; -1 where the engine does not tell).
 */
public record Step(double loss, int correct) {
}
