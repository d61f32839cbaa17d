package io.flhetero.fl.client;

/** Asked after each batch whether a fit should stop early and return the work it did. */
@FunctionalInterface
public interface StopCondition {

    StopCondition NEVER = (steps, wallSeconds, cpuSeconds) -> false;

    boolean reached(int steps, double wallSeconds, double cpuSeconds);
}
