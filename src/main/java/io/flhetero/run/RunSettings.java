package io.flhetero.run;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a run is hosted, apart from the profile: where it writes, where metrics are served, how long clients
 * may take to start.
 *
 * @param metricsPort 0 picks a free port
 */
public record RunSettings(Path runsDir, String metricsHost, int metricsPort, Duration startupTimeout) {

    public static final int DEFAULT_METRICS_PORT = 8000;

    public static RunSettings defaults() {
        return new RunSettings(Path.of("runs"), "127.0.0.1", DEFAULT_METRICS_PORT, Duration.ofSeconds(60));
    }
}
