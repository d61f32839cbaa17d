package io.flhetero.model.fused;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Java arrays that the loops in Java work in, shared by the nodes of one network (one thread at a time): a node
 * copies its native inputs in with one bulk copy each, computes on arrays, which HotSpot vectorises and direct
 * buffers it does not, and copies its result back.
 */
final class HeapArrays {

    private float[] first = new float[0];
    private float[] second = new float[0];
    private float[] third = new float[0];

    /** The first array, holding {@code n} floats of {@code from}. */
    float[] first(FloatBuffer from, int n) {
        first = fill(grow(first, n), from, n);
        return first;
    }

    float[] second(FloatBuffer from, int n) {
        second = fill(grow(second, n), from, n);
        return second;
    }

    float[] third(FloatBuffer from, int n) {
        third = fill(grow(third, n), from, n);
        return third;
    }

    /** The third array, {@code n} zeros. */
    float[] zeroed(int n) {
        third = grow(third, n);
        Arrays.fill(third, 0, n, 0f);
        return third;
    }

    static void store(float[] values, int n, FloatBuffer to) {
        to.put(0, values, 0, n);
    }

    private static float[] grow(float[] array, int n) {
        return array.length >= n ? array : new float[n];
    }

    private static float[] fill(float[] array, FloatBuffer from, int n) {
        from.get(0, array, 0, n);
        return array;
    }

    /** The arrays hold at most this many maps of the largest size a Java loop works on. */
    static final int COUNT = 3;
}
