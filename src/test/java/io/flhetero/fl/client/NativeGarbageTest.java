package io.flhetero.fl.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeGarbageTest {

    @AfterEach
    void reset() {
        NativeGarbage.collectAfterGrowthOf(0);
    }

    /** Full collections only (System.gc() runs one), so that a young collection in between does not count. */
    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(b -> b.getName().contains("Old") || b.getName().contains("MarkSweep"))
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void containersCollectAfterEveryCallAndInProcessRunsOnlyAfterGrowth() {
        NativeGarbage.collectAfterGrowthOf(0); // a client process: every fit and evaluation
        long before = collections();
        NativeGarbage.release();
        assertTrue(collections() > before, "a collection ran");

        NativeGarbage.collectAfterGrowthOf(1L << 40); // in-process, with a threshold no test allocates
        long after = collections();
        NativeGarbage.release();
        NativeGarbage.release();
        assertEquals(after, collections(), "no collection before the native memory has grown");
    }
}
