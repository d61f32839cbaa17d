package io.flhetero.model.fused;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per kind of operation, summed over the steps a profile covers. */
public class OperationTimes {

    /** Records nothing. */
    static final OperationTimes OFF = new OperationTimes() {
        @Override
        void add(String kind, long startNanos) {
        }
    };

    private final Map<String, Long> nanos = new LinkedHashMap<>();

    void add(String kind, long startNanos) {
        nanos.merge(kind, System.nanoTime() - startNanos, Long::sum);
    }

    /** Nanoseconds by kind, in the order the kinds first ran. */
    public Map<String, Long> nanos() {
        return Collections.unmodifiableMap(nanos);
    }
}
