package io.flhetero.monitor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-container series under cAdvisor's names and its {@code name} label, so that one dashboard works with
 * cAdvisor, with fl-hetero's own Docker stats, or with the local runtime. {@code source} says where a figure
 * comes from: {@code docker} (the engine's stats), {@code simulated} (the local runtime's device model) or
 * {@code eventbus} (network: the parameter payloads a client received and sent, since host networking gives
 * containers no network counters of their own).
 */
public final class ContainerMetrics {

    public static final String SOURCE_DOCKER = "docker";
    public static final String SOURCE_SIMULATED = "simulated";
    public static final String SOURCE_EVENTBUS = "eventbus";
    /** The kernel's CFS period, which Docker's CPU limits are quotas of. */
    public static final long CPU_PERIOD_MICROS = 100_000;

    /** The CFS quota per period of a limit of {@code cpus} CPUs. */
    public static long cpuQuota(double cpus) {
        return Math.round(cpus * CPU_PERIOD_MICROS);
    }

    /** One reading of a container's usage; a field below zero is not known and left alone. */
    public record Usage(double cpuSeconds, long rssBytes, long cacheBytes, long usageBytes, long memoryLimitBytes,
                        long cpuQuota, long cpuPeriod) {
    }

    private final SettableMeters meters;
    private final ClientSeries series;
    /** Each container's last CPU reading: a class's shared series adds up its clients' increments. */
    private final Map<String, Double> cpuSeconds = new HashMap<>();

    public ContainerMetrics(MeterRegistry registry, ClientSeries series) {
        this.meters = new SettableMeters(registry);
        this.series = series;
    }

    public ClientSeries series() {
        return series;
    }

    /**
     * A container's usage: the gauges take it as it is (in a class's shared series, the last of its clients to
     * report), the CPU counter its increment since the container's previous reading.
     */
    public void update(String container, String source, Usage u) {
        Tags tags = Tags.of("name", series.containerName(container), "source", source);
        if (u.cpuSeconds() >= 0) {
            SettableMeters.Cell cpu = meters.total("container_cpu_usage_seconds", "CPU time used, in seconds", tags);
            synchronized (this) {
                Double last = cpuSeconds.put(container, u.cpuSeconds());
                double increment = u.cpuSeconds() - (last == null ? 0 : last);
                // A reading below the last one is a restarted container counting from zero again.
                cpu.value = (Double.isNaN(cpu.value) ? 0 : cpu.value) + (increment < 0 ? u.cpuSeconds() : increment);
            }
        }
        set("container_memory_rss", "Resident memory", tags, u.rssBytes());
        set("container_memory_cache", "Page cache", tags, u.cacheBytes());
        set("container_memory_usage_bytes", "Memory in use, cache included", tags, u.usageBytes());
        set("container_spec_memory_limit_bytes", "Memory limit", tags, u.memoryLimitBytes());
        set("container_spec_cpu_quota", "CFS quota per period, in microseconds", tags, u.cpuQuota());
        set("container_spec_cpu_period", "CFS period, in microseconds", tags, u.cpuPeriod());
    }

    /** Adds to a container's network counters (cumulative bytes). */
    public void addNetwork(String container, String source, long receivedBytes, long transmittedBytes) {
        Tags tags = Tags.of("name", series.containerName(container), "source", source);
        SettableMeters.Cell rx = meters.total("container_network_receive_bytes", "Bytes received", tags);
        SettableMeters.Cell tx = meters.total("container_network_transmit_bytes", "Bytes transmitted", tags);
        synchronized (this) {
            rx.value = (Double.isNaN(rx.value) ? 0 : rx.value) + receivedBytes;
            tx.value = (Double.isNaN(tx.value) ? 0 : tx.value) + transmittedBytes;
        }
    }

    private void set(String name, String description, Tags tags, long value) {
        if (value >= 0) {
            meters.gauge(name, description, tags).value = value;
        }
    }
}
