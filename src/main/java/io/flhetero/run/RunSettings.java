package io.flhetero.run;

import io.flhetero.monitor.ClientSeries;
import io.flhetero.runtime.local.DeviceCalibration;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a run is hosted, apart from the profile: where clients run, where it writes, where metrics are served,
 * how long clients may take to start.
 *
 * @param metricsPort      0 picks a free port
 * @param docker           clients as containers with these settings; null: in-process
 * @param deviceTimeBudget the run ends after the round in which its rounds' device time reaches this; null: none
 * @param keepClientData   each client's share of the data stays in the run directory after the run (for a
 *                         reference implementation to train on the same data), in both runtimes
 * @param calibration      in-process: what containers on this host take against the device model
 * @param external         clients are started by someone else (a script, compose, a board) and join with
 *                         {@code fl-hetero client}: the run writes what they need and waits for them
 * @param runId            the run's id, for clients started elsewhere to find its directory; null: a new one
 * @param clientSeriesLimit clients the run may have before their metric series are shared by device class
 *                         ({@link ClientSeries})
 */
public record RunSettings(Path runsDir, String metricsHost, int metricsPort, Duration startupTimeout,
                          DockerSettings docker, Duration deviceTimeBudget, boolean keepClientData,
                          DeviceCalibration calibration, boolean external, String runId,
                          int clientSeriesLimit) {

    /** In-process clients, on the uncalibrated device model. */
    public RunSettings(Path runsDir, String metricsHost, int metricsPort, Duration startupTimeout) {
        this(runsDir, metricsHost, metricsPort, startupTimeout, null, null, false, DeviceCalibration.NONE, false, null,
                ClientSeries.DEFAULT_LIMIT);
    }

    /** Clients started elsewhere, each joining with {@code fl-hetero client}. */
    public RunSettings withExternalClients() {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, deviceTimeBudget,
                keepClientData, calibration, true, runId, clientSeriesLimit);
    }

    public RunSettings withRunId(String id) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, deviceTimeBudget,
                keepClientData, calibration, external, id, clientSeriesLimit);
    }

    public RunSettings withDocker(DockerSettings settings) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, settings, deviceTimeBudget,
                keepClientData, calibration, external, runId, clientSeriesLimit);
    }

    public RunSettings withDeviceTimeBudget(Duration budget) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, budget, keepClientData,
                calibration, external, runId, clientSeriesLimit);
    }

    public RunSettings withClientDataKept(boolean keep) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, deviceTimeBudget, keep,
                calibration, external, runId, clientSeriesLimit);
    }

    public RunSettings withCalibration(DeviceCalibration newCalibration) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, deviceTimeBudget,
                keepClientData, newCalibration, external, runId, clientSeriesLimit);
    }

    public RunSettings withClientSeriesLimit(int limit) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, deviceTimeBudget,
                keepClientData, calibration, external, runId, limit);
    }
}
