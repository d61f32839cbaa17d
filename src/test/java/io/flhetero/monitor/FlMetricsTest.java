package io.flhetero.monitor;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Evaluation;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlMetricsTest {

    private static RegisteredClient client(String id, String deviceClass) {
        return new RegisteredClient(id, deviceClass, 0.5, 1L << 30, 100, 10, 1, 1L << 28,
                FitConfig.epochs(32, 0.001, 1));
    }

    private static FitOutcome fit(String id, double fitSeconds, double deviceSeconds) {
        return new FitOutcome(id, new float[10], 100, 1, 0.5, fitSeconds, deviceSeconds, 32, 4, 300L << 20, 4, 100);
    }

    private static RoundReport round(List<FitOutcome> fits, List<Failure> failures) {
        return new RoundReport(1, fits, failures, List.of(new EvaluateOutcome("a1", 1, 0.25, 10),
                new EvaluateOutcome("a2", 1, 0.75, 10)), List.of(), Evaluation.NONE, 1, 1, 4, 3);
    }

    @Test
    void aRunOverTheLimitSharesSeriesByDeviceClassMeansForGaugesSumsForCounters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FlMetrics metrics = new FlMetrics(registry, new ContainerMetrics(registry, ClientSeries.forRun(3, 2)));
        List.of(client("a1", "phone"), client("a2", "phone"), client("b1", "edge")).forEach(metrics::clientRegistered);
        metrics.roundFinished(round(List.of(fit("a1", 1, 2), fit("a2", 3, 6), fit("b1", 5, 1)),
                List.of(new Failure("a1", FailureReason.TIMEOUT, "late"), new Failure("a2", FailureReason.TIMEOUT, "late"))));
        metrics.availabilityChanged("a2", false, 10);

        assertEquals(Set.of("*"), clientLabels(registry, MetricNames.CLIENT_FIT_DURATION));
        assertEquals(2.0, gauge(registry, MetricNames.CLIENT_FIT_DURATION, "phone"), 1e-12, "mean of 1 and 3 s");
        assertEquals(5.0, gauge(registry, MetricNames.CLIENT_FIT_DURATION, "edge"), 1e-12);
        assertEquals(0.5, gauge(registry, MetricNames.CLIENT_TEST_ACCURACY, "phone"), 1e-12);
        assertEquals(8.0, registry.get(MetricNames.CLIENT_DEVICE_SECONDS).tags("device_class", "phone").counter()
                .count(), 1e-12, "device seconds add up over the class");
        assertEquals(2.0, registry.get(MetricNames.CLIENT_FAILURES).tags("device_class", "phone", "reason",
                FailureReason.TIMEOUT.label()).counter().count(), 1e-12);
        assertEquals(1.0, gauge(registry, MetricNames.CLIENT_ONLINE, "phone"), 1e-12, "one of two phones online");
        assertEquals(Set.of("clients/phone", "clients/edge"), registry.find("container_network_receive_bytes").meters().stream()
                .map(m -> m.getId().getTag("name")).collect(Collectors.toSet()));
    }

    @Test
    void aRunWithinTheLimitKeepsASeriesPerClient() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FlMetrics metrics = new FlMetrics(registry, new ContainerMetrics(registry, ClientSeries.forRun(3, 3)));
        List.of(client("a1", "phone"), client("a2", "phone"), client("b1", "edge")).forEach(metrics::clientRegistered);
        metrics.roundFinished(round(List.of(fit("a1", 1, 2), fit("a2", 3, 6)), List.of()));
        metrics.availabilityChanged("a2", false, 10);

        assertEquals(Set.of("a1", "a2"), clientLabels(registry, MetricNames.CLIENT_FIT_DURATION));
        assertEquals(3.0, registry.get(MetricNames.CLIENT_FIT_DURATION).tags("client_id", "a2").gauge().value());
        assertEquals(0.0, registry.get(MetricNames.CLIENT_ONLINE).tags("client_id", "a2").gauge().value());
        assertEquals(1.0, registry.get(MetricNames.CLIENT_ONLINE).tags("client_id", "a1").gauge().value());
    }

    @Test
    void aContainersCpuCounterAddsItsIncrementsAndTakesARestartAsACounterFromZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContainerMetrics containers = new ContainerMetrics(registry, ClientSeries.perClient());
        for (double reading : new double[] {2, 5, 1, 3}) { // restarted after 5 s: counts from zero again
            containers.update("c1", ContainerMetrics.SOURCE_DOCKER, new ContainerMetrics.Usage(reading, -1, -1, -1, -1,
                    -1, -1));
        }
        assertEquals(8.0, registry.get("container_cpu_usage_seconds").tags("name", "c1").functionCounter().count(),
                1e-12, "5 s before the restart, 3 s after");
    }

    private static Set<String> clientLabels(SimpleMeterRegistry registry, String name) {
        return registry.find(name).meters().stream().map(Meter::getId).map(id -> id.getTag("client_id"))
                .collect(Collectors.toSet());
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String deviceClass) {
        return registry.get(name).tags("client_id", "*", "device_class", deviceClass).gauge().value();
    }
}
