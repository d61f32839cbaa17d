package io.flhetero.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters whose values fl-hetero sets itself, registered on first use: gauges that show the value last set,
 * and counters that show a running total kept elsewhere (Prometheus gets {@code name_total}).
 */
final class SettableMeters {

    /** A meter's value; NaN until first set, which Prometheus shows as NaN (a counter shows 0). */
    static final class Cell {
        volatile double value = Double.NaN;
    }

    private final MeterRegistry registry;
    private final Map<String, Cell> cells = new ConcurrentHashMap<>();

    SettableMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    Cell gauge(String name, String description, Tags tags) {
        return cells.computeIfAbsent(name + tags, k -> {
            Cell c = new Cell();
            Gauge.builder(name, c, x -> x.value).description(description).tags(tags).register(registry);
            return c;
        });
    }

    Cell total(String name, String description, Tags tags) {
        return cells.computeIfAbsent(name + tags, k -> {
            Cell c = new Cell();
            FunctionCounter.builder(name, c, x -> Double.isNaN(x.value) ? 0 : x.value).description(description)
                    .tags(tags).register(registry);
            return c;
        });
    }
}
