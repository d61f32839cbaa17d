package io.flhetero.runtime.local;

import io.flhetero.model.OptimizerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OptimizerStatesTest {

    private static OptimizerState state(int iteration, float value) {
        float[] moments = new float[2_000];
        Arrays.fill(moments, value);
        moments[1_999] = -value;
        return new OptimizerState(moments, iteration);
    }

    @Test
    void statesPastTheBudgetGoToDiskLeastRecentlyUsedFirstAndComeBackWhole(@TempDir Path scratch) {
        long one = state(0, 0).bytes();
        try (OptimizerStates states = new OptimizerStates(2 * one, scratch)) {
            assertEquals(Optional.empty(), states.get("a"), "no state before a first fit");
            states.put("a", state(1, 0.5f));
            states.put("b", state(2, 1.5f));
            states.get("a"); // now b is the least recently used
            states.put("c", state(3, 2.5f));
            assertEquals(1, states.onDisk());
            assertEquals(2 * one, states.bytesInMemory());

            OptimizerState b = states.get("b").orElseThrow();
            assertEquals(2, b.iteration());
            assertArrayEquals(state(2, 1.5f).moments(), b.moments());
            assertEquals(1, states.onDisk(), "b came back, the least recently used of a and c went out");
            assertEquals(1, states.get("a").orElseThrow().iteration());
        }
    }

    @Test
    void aForgottenStateIsGoneFromMemoryAndDiskAndCloseRemovesTheScratchDirectory(@TempDir Path scratch)
            throws Exception {
        long one = state(0, 0).bytes();
        OptimizerStates states = new OptimizerStates(one, scratch);
        states.put("a", state(1, 1));
        states.put("b", state(2, 2));
        assertEquals(1, states.onDisk());
        assertEquals(1, countScratch(scratch), "a's state was written to a scratch directory");
        states.forget("a");
        assertEquals(0, states.onDisk());
        assertEquals(Optional.empty(), states.get("a"));
        states.forget("b");
        assertEquals(0, states.bytesInMemory());
        states.put("c", state(3, 3));
        states.put("d", state(4, 4));
        states.close();
        assertEquals(0, countScratch(scratch), "close removed its scratch directory");
        assertFalse(states.get("d").isPresent());
    }

    private static long countScratch(Path tmp) throws Exception {
        try (var files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith(OptimizerStates.SCRATCH_PREFIX)).count();
        }
    }
}
