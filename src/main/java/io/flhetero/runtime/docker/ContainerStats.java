package io.flhetero.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.flhetero.monitor.ContainerMetrics;
import io.flhetero.profile.DeviceClass;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the engine's stats for the run's containers into {@link ContainerMetrics}. Streamed, not polled:
 * one stats sample takes the engine 1-2 s, because it waits for two readings.
 */
public final class ContainerStats implements Closeable {

    private final List<Closeable> streams = new ArrayList<>();
    private final ContainerMetrics metrics;

    public ContainerStats(ContainerMetrics metrics) {
        this.metrics = metrics;
    }

    public void follow(DockerClient docker, String containerId, String name, DeviceClass device) {
        long quota = ContainerMetrics.cpuQuota(device.cpus());
        streams.add(docker.statsCmd(containerId).exec(new ResultCallback.Adapter<Statistics>() {
            @Override
            public void onNext(Statistics s) {
                metrics.update(name, ContainerMetrics.SOURCE_DOCKER, usage(s, device.memory().bytes(), quota));
            }
        }));
    }

    static ContainerMetrics.Usage usage(Statistics s, long limit, long quota) {
        double cpu = s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null
                || s.getCpuStats().getCpuUsage().getTotalUsage() == null ? -1
                : s.getCpuStats().getCpuUsage().getTotalUsage() / 1e9;
        long usage = s.getMemoryStats() == null || s.getMemoryStats().getUsage() == null ? -1
                : s.getMemoryStats().getUsage();
        var stats = s.getMemoryStats() == null ? null : s.getMemoryStats().getStats();
        long rss = stats == null ? -1 : nz(stats.getRss());
        long cache = stats == null ? -1 : nz(stats.getCache());
        return new ContainerMetrics.Usage(cpu, rss, cache, usage, limit, quota, ContainerMetrics.CPU_PERIOD_MICROS);
    }

    private static long nz(Long v) {
        return v == null ? -1 : v;
    }

    @Override
    public void close() {
        for (Closeable c : streams) {
            try {
                c.close();
            } catch (IOException e) {
                // The stream ends with its container anyway.
            }
        }
        streams.clear();
    }
}
