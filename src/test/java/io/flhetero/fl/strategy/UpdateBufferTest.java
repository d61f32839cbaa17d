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
    void aFullBufferMovesTheModelByTheAverageWeightedUpdate() {
        UpdateBuffer buffer = new UpdateBuffer(2, StalenessWeight.parse("sqrt"), false, 0, 1.0, null, 1.0);
        float[] v0 = {0, 0};
        // A fresh update of client a with 1 example: +[2, 2]; the only client seen, so the average: weight 1.
        assertEquals(1.0, buffer.add("a", new float[] {2, 2}, v0, 1, 5.0, 0), 1e-12);
        assertFalse(buffer.full());
        // A stale one (3 versions) of client b with 3 examples: +[4, 0]. The average client has (1 + 3) / 2 = 2
        // examples: weight 1/sqrt(1+3) * 3 / 2 = 0.75.
        assertEquals(0.75, buffer.add("b", new float[] {4, 0}, v0, 3, 5.0, 3), 1e-12);
        assertTrue(buffer.full());
        // [1, 1] + (1 * [2, 2] + 0.75 * [4, 0]) / 2
        float[] global = {1, 1};
        assertArrayEquals(new float[] {3.5f, 2f}, buffer.apply(global), 1e-6f);
        assertEquals(0, buffer.count(), "the buffer starts over");
        assertArrayEquals(global, buffer.apply(global), "an empty buffer changes nothing");
    }

    @Test
    void theFrequencyCorrectionWeighsAnUpdateByHowLongItsWorkTook() {
        UpdateBuffer buffer = new UpdateBuffer(1, StalenessWeight.parse("none"), true, 0, 1.0, null, 1.0);
        // Same data; a is back every 1 s, b every 3 s. Contributions 10 * 1 and 10 * 3, their average 20.
        buffer.add("a", new float[] {1}, new float[] {0}, 10, 1.0, 0);
        buffer.apply(new float[] {0});
        assertEquals(1.5, buffer.add("b", new float[] {1}, new float[] {0}, 10, 3.0, 0), 1e-12, "30 / 20");
        buffer.apply(new float[] {0});
        assertEquals(0.5, buffer.add("a", new float[] {1}, new float[] {0}, 10, 1.0, 0), 1e-12,
                "10 / 20: the average is over clients, each once, not over updates");
        // Over 3 s, a's three updates weigh 3 * 0.5 and b's one 1.5: alike, as in synchronous rounds.
    }

    @Test
    void batchNormStatisticsMoveTowardsTheBufferedValuesNotByDifferences() {
        // Parameter 0 is a weight, parameter 1 a running variance. The global variance (0.1) moved on since the
        // clients started (from 1.0): adding their differences would give 0.1 + (0.2 - 1.0) < 0.
        UpdateBuffer buffer = new UpdateBuffer(2, StalenessWeight.parse("sqrt"), false, 0, 1.0,
                new boolean[] {false, true}, 0.5);
        buffer.add("a", new float[] {1, 0.2f}, new float[] {0, 1.0f}, 1, 1.0, 0);
        buffer.add("b", new float[] {1, 0.6f}, new float[] {0, 1.0f}, 1, 1.0, 3);
        float[] next = buffer.apply(new float[] {0, 0.1f});
        assertEquals(0.75f, next[0], 1e-6f, "the weight moves by (1 * 1 + 0.5 * 1) / 2");
        float buffered = (0.2f + 0.5f * 0.6f) / 1.5f; // the clients' weighted average
        assertEquals(0.1f + 0.5f * (buffered - 0.1f), next[1], 1e-6f, "half way from the global value towards it");
    }

    @Test
    void theServerLearningRateScalesTheStepAndMaxStalenessRefusesOldUpdates() {
        UpdateBuffer buffer = new UpdateBuffer(1, StalenessWeight.parse("none"), false, 2, 0.5, null, 1.0);
        assertTrue(buffer.accepts(2));
        assertFalse(buffer.accepts(3), "older than max_staleness 2");
        buffer.add("a", new float[] {3, 5}, new float[] {1, 1}, 10, 1.0, 1);
        assertArrayEquals(new float[] {1f, 2f}, buffer.apply(new float[] {0, 0}), 1e-6f, "0.5 * ([3, 5] - [1, 1])");
        assertTrue(new UpdateBuffer(1, StalenessWeight.parse("none"), false, 0, 1, null, 1.0).accepts(1_000), "0: no limit");
    }
}
