package io.flhetero.fl.strategy;

import io.flhetero.fl.api.FitOutcome;
import io.flhetero.profile.DeadlineSpec;

import java.util.List;

/**
 * How much device time clients have for their local work in the coming round ({@link DeadlineSpec}); past it,
 * a client stops and returns the steps it did. A derived deadline learns from each round's full-work times
 * (estimated from the part done when a client was cut short); the first round runs without one, to measure.
 */
public final class RoundDeadline {

    private final DeadlineSpec spec;
    private double derivedSeconds;

    public RoundDeadline(DeadlineSpec spec) {
        this.spec = spec;
    }

    /** Device seconds for the next round; 0: none. */
    public double seconds() {
        return spec.fixedSeconds() > 0 ? spec.fixedSeconds() : derivedSeconds;
    }

    /** A derived deadline as a checkpoint saved it; a fixed one stays as the profile says. */
    public void restore(double seconds) {
        if (spec.derived()) {
            derivedSeconds = seconds;
        }
    }

    public void observe(List<FitOutcome> results) {
        if (!spec.derived() || results.isEmpty()) {
            return;
        }
        double[] times = results.stream().mapToDouble(FitOutcome::fullWorkSeconds).sorted().toArray();
        int index = (int) Math.ceil(spec.percentile() / 100.0 * times.length) - 1;
        derivedSeconds = times[Math.max(0, Math.min(times.length - 1, index))] * spec.factor();
    }
}
