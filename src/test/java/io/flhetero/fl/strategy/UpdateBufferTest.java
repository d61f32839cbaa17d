package io.flhetero.fl.strategy;

import io.flhetero.profile.StalenessWeight;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateBufferTest {

    @Test
    void stalenessWeightsAreFedBuffsByDefault() {
        StalenessWeight sqrt = StalenessWeight.parse("sqrt");
        assertEquals(1.0, sqrt.of(0));
        assertEquals(0.5, sqrt.of(3), 1e-12, "1/sqrt(1+3)");
        assertEquals(1.0, StalenessWeight.parse("none").of(7));
        assertEquals(0.25, StalenessWeight.parse("poly(2)").of(1), 1e-12, "(1+1)^-2");
        assertEquals("poly(2)", StalenessWeight.parse(" Poly(2) ").toString());
        assertThrows(IllegalArgumentException.class, () -> StalenessWeight.parse("exp(1)"));
    }

    @Test
    void aFullBufferMovesTheModelByTheWeightedUpdatesOfItsClients() {
        UpdateBuffer buffer = new UpdateBuffer(2, StalenessWeight.parse("sqrt"), 0, 1.0, null);
        float[] v0 = {0, 0};
        // A fresh update of a client with 1 example: +[2, 2], weight 1 * 1.
        buffer.add(new float[] {2, 2}, v0, 1, 0);
        assertFalse(buffer.full());
        // A stale one (3 versions) of a client with 3 examples: +[4, 0], weight 3 * 1/sqrt(4) = 1.5.
        buffer.add(new float[] {4, 0}, v0, 3, 3);
        assertTrue(buffer.full());
        // (1 * [2, 2] + 1.5 * [4, 0]) / (1 + 3) = [8, 2] / 4
        float[] global = {1, 1};
        assertArrayEquals(new float[] {3f, 1.5f}, buffer.apply(global), 1e-6f);
        assertEquals(0, buffer.count(), "the buffer starts over");
        assertArrayEquals(global, buffer.apply(global), "an empty buffer changes nothing");
    }

    @Test
    void batchNormStatisticsAreAveragedAsValuesNotMovedByDifferences() {
        // Parameter 0 is a weight, parameter 1 a running variance. The global variance (0.1) moved on since the
        // clients started (from 1.0): adding their differences would give 0.1 + (0.2 - 1.0) < 0.
        UpdateBuffer buffer = new UpdateBuffer(2, StalenessWeight.parse("sqrt"), 0, 1.0, new boolean[] {false, true});
        buffer.add(new float[] {1, 0.2f}, new float[] {0, 1.0f}, 1, 0);
        buffer.add(new float[] {1, 0.6f}, new float[] {0, 1.0f}, 1, 3);
        float[] next = buffer.apply(new float[] {0, 0.1f});
        assertEquals(0.75f, next[0], 1e-6f, "the weight moves by (1 * 1 + 0.5 * 1) / 2");
        assertEquals((0.2f + 0.5f * 0.6f) / 1.5f, next[1], 1e-6f, "the variance is the clients' weighted average");
    }

    @Test
    void theServerLearningRateScalesTheStepAndMaxStalenessRefusesOldUpdates() {
        UpdateBuffer buffer = new UpdateBuffer(1, StalenessWeight.parse("none"), 2, 0.5, null);
        assertTrue(buffer.accepts(2));
        assertFalse(buffer.accepts(3), "older than max_staleness 2");
        buffer.add(new float[] {3, 5}, new float[] {1, 1}, 10, 1);
        assertArrayEquals(new float[] {1f, 2f}, buffer.apply(new float[] {0, 0}), 1e-6f, "0.5 * ([3, 5] - [1, 1])");
        assertTrue(new UpdateBuffer(1, StalenessWeight.parse("none"), 0, 1, null).accepts(1_000), "0: no limit");
    }
}
