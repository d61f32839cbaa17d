package io.flhetero.runtime.local;

import io.flhetero.fl.api.Evaluation;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.monitor.ClientSeries;
import io.flhetero.monitor.ContainerMetrics;
import io.flhetero.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SimulatedContainerStatsTest {

    @Test
    void aSimulatedDeviceReportsItsShareOfDeviceTimeAsCpuAndItsLimitsAsTheContainerSpec() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SimulatedContainerStats stats = new SimulatedContainerStats(new ContainerMetrics(registry, ClientSeries.perClient()));
        stats.clientRegistered(Fixtures.registered("client1", 0.5, 1L << 30, 100, 10));
        for (int round = 1; round <= 2; round++) {
            FitOutcome fit = new FitOutcome("client1", new float[1], 100, 1, 0.5, 1.0, 4.0, 32, 4, 300L << 20, 4, 100);
            stats.roundFinished(new RoundReport(round, List.of(fit), List.of(), List.of(), List.of(), Evaluation.NONE,
                    1, 1, 4, 1));
        }
        assertEquals(4.0, value(registry, "container_cpu_usage_seconds"), 1e-9, "half a CPU for 2 x 4 s");
        assertEquals(300L << 20, value(registry, "container_memory_rss"));
        assertEquals(1L << 30, value(registry, "container_spec_memory_limit_bytes"));
        assertEquals(50_000, value(registry, "container_spec_cpu_quota"));
        assertEquals(ContainerMetrics.CPU_PERIOD_MICROS, value(registry, "container_spec_cpu_period"));
    }

    private static double value(SimpleMeterRegistry registry, String name) {
        return registry.find(name).tags("name", "client1", "source", ContainerMetrics.SOURCE_SIMULATED).meter()
                .measure().iterator().next().getValue();
    }
}
