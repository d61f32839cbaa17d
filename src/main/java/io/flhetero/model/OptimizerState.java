package io.flhetero.model;

/**
 * What a client's optimizer carries from one round to the next: Adam's two moment vectors, one after the other
 * in the parameters' layout, and its step count (for the bias correction). A resumed client restores it, so that
 * it trains on as it would have without the interruption.
 */
public record OptimizerState(float[] moments, int iteration) {
}
