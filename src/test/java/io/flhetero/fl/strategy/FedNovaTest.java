package io.flhetero.fl.strategy;

import io.flhetero.fl.api.FitOutcome;
import io.flhetero.profile.DeadlineSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Aggregation when clients did different amounts of work, on hand-computed cases. */
class FedNovaTest {

    private static FitOutcome fit(int examples, int steps, int planned, double seconds, float... params) {
        return new FitOutcome("c", params, examples, 1, 0.5, seconds, seconds, 32, steps, 0, planned, examples);
    }

    /** A client that went through {@code examples} of its {@code data} training examples in {@code steps}. */
    private static FitOutcome partial(int examples, int data, int steps, float... params) {
        return new FitOutcome("c", params, examples, 1, 0.5, 1, 1, 32, steps, 0, steps, data);
    }

    @Test
    void normalisesEachUpdateByItsLocalSteps() {
        float[] global = {0, 0};
        List<FitOutcome> results = List.of(fit(100, 2, 2, 1, -2, -4), fit(100, 4, 4, 1, -4, -4));
        // Updates per step: (1, 2) and (1, 1); mean (1, 1.5); tau_eff = (2 + 4) / 2 = 3; w = -3 * (1, 1.5).
        assertArrayEquals(new float[] {-3f, -4.5f}, new FedNova(1.0, 1, 1).aggregateFit(1, global, results, List.of()),
                1e-6f);
        // FedAvg averages the end points instead: the 4-step client pulls as hard as the 2-step one.
        assertArrayEquals(new float[] {-3f, -4f}, new FedAvg(1.0, 1, 1).aggregateFit(1, global, results, List.of()),
                1e-6f);
    }

    @Test
    void weighsClientsByTheirDataNotByTheWorkTheyWereGiven() {
        float[] global = {0, 0};
        // Equal data; one client did 8 steps of 256 examples, the other 2 steps of 64.
        List<FitOutcome> results = List.of(partial(2048, 1000, 8, -8, -8), partial(128, 1000, 2, -2, 0));
        // p = (1/2, 1/2); updates per step (1, 1) and (1, 0); tau_eff = (8 + 2) / 2 = 5; w = -5 * (1, 0.5).
        assertArrayEquals(new float[] {-5f, -2.5f}, new FedNova(1.0, 1, 1).aggregateFit(1, global, results, List.of()),
                1e-6f);
        // FedAvg averages the end points with the same weights, not 2048 : 128.
        assertArrayEquals(new float[] {-5f, -4f}, new FedAvg(1.0, 1, 1).aggregateFit(1, global, results, List.of()),
                1e-6f);
        // A client stopped before its first batch returns the global model and is left out, not averaged in.
        List<FitOutcome> withIdle = List.of(results.get(0), results.get(1), partial(0, 1000, 0, 0, 0));
        assertArrayEquals(new float[] {-5f, -4f}, new FedAvg(1.0, 1, 1).aggregateFit(1, global, withIdle, List.of()),
                1e-6f);
    }

    @Test
    void equalWorkGivesTheSameAsFedAvg() {
        float[] global = {1, 1};
        List<FitOutcome> results = List.of(fit(100, 5, 5, 1, 0, 2), fit(300, 5, 5, 1, 2, 0));
        assertArrayEquals(new FedAvg(1.0, 1, 1).aggregateFit(1, global, results, List.of()),
                new FedNova(1.0, 1, 1).aggregateFit(1, global, results, List.of()), 1e-6f);
    }

    @Test
    void aDerivedDeadlineFollowsThePercentileOfFullWorkTimes() {
        RoundDeadline deadline = new RoundDeadline(DeadlineSpec.parse("p50*1.5"));
        assertEquals(0, deadline.seconds(), "the first round runs without one, to measure");
        // 10 s, 20 s, and a client cut short after 3 of 12 steps in 10 s: 40 s for its whole work.
        deadline.observe(List.of(fit(1, 5, 5, 10), fit(1, 5, 5, 20), fit(1, 3, 12, 10)));
        assertEquals(30, deadline.seconds(), 1e-9);
        assertEquals(45, new RoundDeadline(DeadlineSpec.parse("45s")).seconds(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> DeadlineSpec.parse("soon"));
        assertThrows(IllegalArgumentException.class, () -> DeadlineSpec.parse("p0*2"));
    }
}
