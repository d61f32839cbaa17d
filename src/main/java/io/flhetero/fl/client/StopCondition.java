package io.flhetero.fl.client;

/** Asked after each batch whether a fit should stop early and return the work it did. */
@FunctionalInterface
public interface StopCondition {

    StopCondition NEVER = done -> false;

    /** @param done the training so far: steps, images, and the time they took on this host */
    boolean reached(Work done);
}
