package io.flhetero.runtime.local;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.monitor.ContainerMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container series of in-process clients, from the device model: what the Docker runtime reads from the
 * engine's stats, the local runtime derives from each fit and evaluation (CPU time as the device's share of its
 * device time, transfers excluded; memory as the training-memory estimate; limits from the device class).
 */
public final class SimulatedContainerStats implements RunListener {

    private final ContainerMetrics containers;
    private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Double> cpuSeconds = new ConcurrentHashMap<>();

    public SimulatedContainerStats(ContainerMetrics containers) {
        this.containers = containers;
    }

    @Override
    public void clientRegistered(RegisteredClient client) {
        clients.put(client.id(), client);
    }

    @Override
    public void roundFinished(RoundReport report) {
        for (FitOutcome fit : report.fits()) {
            RegisteredClient client = clients.get(fit.clientId());
            if (client == null) {
                continue;
            }
            double used = cpuSeconds.merge(fit.clientId(), (fit.simulatedSeconds() - fit.transferSeconds())
                    * Math.min(1, client.cpus()), Double::sum);
            containers.update(fit.clientId(), ContainerMetrics.SOURCE_SIMULATED, new ContainerMetrics.Usage(used,
                    fit.memoryBytes(), 0, fit.memoryBytes(), client.memoryBytes(),
                    ContainerMetrics.cpuQuota(client.cpus()), ContainerMetrics.CPU_PERIOD_MICROS));
        }
        for (EvaluateOutcome e : report.evaluations()) {
            RegisteredClient client = clients.get(e.clientId());
            if (client != null) {
                // Busy while scoring, idle while receiving: counted into the next fit's update of the series.
                cpuSeconds.merge(e.clientId(), (e.simulatedSeconds() - e.transferSeconds())
                        * Math.min(1, client.cpus()), Double::sum);
            }
        }
    }
}
