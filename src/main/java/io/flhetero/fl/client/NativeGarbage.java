package io.flhetero.fl.client;

import org.bytedeco.javacpp.Pointer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * ND4J frees an array's native memory only once the garbage collector has collected its Java object. With a roomy
 * heap that can take many rounds: DL4J's layers left hundreds of megabytes of native garbage a round (1.5 GB a
 * round for the four clients of the stragglers mix, until the kernel killed the process at 20 GB). So clients
 * collect after each fit and evaluation: in a container that keeps the process at what training needs, which is
 * what its memory limit should measure. In-process, where limits are simulated and a hundred clients share one
 * JVM, a full collection per call dominated the round (40-47 s against 8.5-15 s for 100 clients, measured); there
 * a collection runs once the process's resident memory outside the Java heap has grown by a threshold since the
 * last one (resident memory, because ND4J allocates most arrays past JavaCPP's own accounting; outside the heap,
 * because a heap that grows is no native garbage, and counting it ran a full collection every round of a thousand
 * clients).
 */
public final class NativeGarbage {

    private static volatile long threshold = 0;
    private static final AtomicLong AFTER_LAST_COLLECTION = new AtomicLong(outsideHeap());

    private NativeGarbage() {
    }

    /** From now on, collect only once resident memory has grown by this many bytes since the last collection. */
    public static void collectAfterGrowthOf(long bytes) {
        threshold = bytes;
        AFTER_LAST_COLLECTION.set(outsideHeap());
    }

    /** Resident bytes of this process beyond the Java heap's committed size. */
    private static long outsideHeap() {
        return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }

    static void release() {
        if (threshold <= 0) {
            System.gc();
            return;
        }
        long resident = outsideHeap();
        long last = AFTER_LAST_COLLECTION.get();
        // One thread collects for all: the others see the new baseline and go on.
        if (resident - last >= threshold && AFTER_LAST_COLLECTION.compareAndSet(last, resident)) {
            System.gc();
            AFTER_LAST_COLLECTION.set(outsideHeap());
        }
    }
}
