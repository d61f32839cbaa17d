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
 * a collection runs once the native memory JavaCPP tracks has grown by a threshold since the last one.
 */
public final class NativeGarbage {

    private static volatile long threshold = 0;
    private static final AtomicLong AFTER_LAST_COLLECTION = new AtomicLong(Pointer.totalBytes());

    private NativeGarbage() {
    }

    /** From now on, collect only once this many bytes of native memory have been added since the last collection. */
    public static void collectAfterGrowthOf(long bytes) {
        threshold = bytes;
    }

    static void release() {
        if (Pointer.totalBytes() - AFTER_LAST_COLLECTION.get() >= threshold) {
            System.gc();
            AFTER_LAST_COLLECTION.set(Pointer.totalBytes());
        }
    }
}
