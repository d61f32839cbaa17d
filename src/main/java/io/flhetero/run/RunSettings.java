package io.flhetero.run;

import io.flhetero.monitor.stack.MonitoringStack;
import io.flhetero.runtime.docker.Images;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a run is hosted, apart from the profile: where clients run, where it writes, where metrics are served,
 * how long clients may take to start.
 *
 * @param metricsPort 0 picks a free port
 * @param docker      clients as containers (true) or in-process (false)
 * @param jar         the fl-hetero JAR that client containers run; null: the one this process runs from
 * @param monitoring  the Prometheus, cAdvisor and Grafana containers to start with Docker; null: none
 * @param deviceTimeBudget the run ends after the round in which its rounds' device time reaches this; null: none
 * @param keepClientData each client's share of the data stays in the run directory after the run (for a
 *                       reference implementation to train on the same data), in both runtimes
 */
public record RunSettings(Path runsDir, String metricsHost, int metricsPort, Duration startupTimeout, boolean docker,
                          String clientImage, boolean fitToHost, Path jar, Path nativeCache,
                          MonitoringStack.Settings monitoring, Duration deviceTimeBudget, boolean keepClientData) {

    /** In-process clients. */
    public RunSettings(Path runsDir, String metricsHost, int metricsPort, Duration startupTimeout) {
        this(runsDir, metricsHost, metricsPort, startupTimeout, false, Images.DEFAULT_CLIENT, false, null,
                defaultNativeCache(), null, null, false);
    }

    public RunSettings withDocker(String image, boolean fit, Path jarFile) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, true, image, fit, jarFile, nativeCache,
                monitoring, deviceTimeBudget, keepClientData);
    }

    public RunSettings withMonitoring(MonitoringStack.Settings stack) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, clientImage, fitToHost, jar,
                nativeCache, stack, deviceTimeBudget, keepClientData);
    }

    public RunSettings withDeviceTimeBudget(Duration budget) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, clientImage, fitToHost, jar,
                nativeCache, monitoring, budget, keepClientData);
    }

    public RunSettings withClientDataKept(boolean keep) {
        return new RunSettings(runsDir, metricsHost, metricsPort, startupTimeout, docker, clientImage, fitToHost, jar,
                nativeCache, monitoring, deviceTimeBudget, keep);
    }

    /** Where client containers share ND4J's unpacked natives (400 MB, unpacked once). */
    public static Path defaultNativeCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "fl-hetero", "javacpp");
    }
}
