package io.flhetero.run;

import io.flhetero.monitor.stack.MonitoringStack;

import java.nio.file.Path;

/**
 * How a run's clients run as containers: the settings only the Docker runtime has.
 *
 * @param fitToHost   scale the device mix down to this host's resources instead of refusing it
 * @param jar         the fl-hetero JAR that client containers run; null: the one this process runs from
 * @param nativeCache where client containers share ND4J's unpacked natives (400 MB, unpacked once)
 * @param monitoring  the Prometheus, cAdvisor and Grafana containers to start with the run; null: none
 * @param swarm       clients as services of the swarm this engine manages; null: containers on this engine
 */
public record DockerSettings(String clientImage, boolean fitToHost, Path jar, Path nativeCache,
                             MonitoringStack.Settings monitoring, SwarmSettings swarm) {

    public DockerSettings(String clientImage, boolean fitToHost, Path jar) {
        this(clientImage, fitToHost, jar, defaultNativeCache(), null, null);
    }

    public DockerSettings withMonitoring(MonitoringStack.Settings stack) {
        return new DockerSettings(clientImage, fitToHost, jar, nativeCache, stack, swarm);
    }

    public DockerSettings withSwarm(SwarmSettings newSwarm) {
        return new DockerSettings(clientImage, fitToHost, jar, nativeCache, monitoring, newSwarm);
    }

    public static Path defaultNativeCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "fl-hetero", "javacpp");
    }
}
