package io.flhetero.model;

/**
 * What a client's optimizer carries from one round to the next: Adam's two moment vectors, one after the other
 * in the parameters' layout, and its step count (for the bias correction). A resumed client restores it, so that
 * it trains on as it would have without the interruption.
 */
public record OptimizerState(float[] moments, int iteration) {

    /** The state of an optimizer that has not taken a step yet, for a network of this many parameters. */
    public static OptimizerState initial(int parameters) {
        return new OptimizerState(new float[2 * parameters], 0);
    }

    /** Bytes it takes in memory or on disk. */
    public long bytes() {
        return (long) moments.length * Float.BYTES + Integer.BYTES;
    }
}
