package io.flhetero.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.time.Duration;
import java.util.List;

/**
 * A connection to a Docker engine through docker-java's httpclient5 transport. Honours DOCKER_HOST and
 * defaults to the unix socket; the API version is left to the daemon (pinning a newer one than the daemon's
 * fails).
 */
public final class DockerEngine implements AutoCloseable {

    private final DockerClient client;
    private final String host;

    private DockerEngine(DockerClient client, String host) {
        this.client = client;
        this.host = host;
    }

    /**
     * Connects and pings.
     *
     * @throws NoEngineException with the address tried and how to get an engine
     */
    public static DockerEngine connect() {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
    }

    /** Connects to the engine at {@code host} (unix:///var/run/docker.sock, tcp://127.0.0.1:2375 ...). */
    public static DockerEngine connect(String host) {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build());
    }

    private static DockerEngine connect(DockerClientConfig config) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        DockerClient client = DockerClientImpl.getInstance(config, http);
        String host = config.getDockerHost().toString();
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            try {
                client.close();
            } catch (Exception ignored) {
                // Nothing was opened.
            }
            throw new NoEngineException("no Docker engine answers at " + host + " (" + rootMessage(e) + "); start one "
                    + "(e.g. `dockerd`), set DOCKER_HOST, or use --runtime local");
        }
        return new DockerEngine(client, host);
    }

    public DockerClient client() {
        return client;
    }

    public String host() {
        return host;
    }

    public HostCapacity capacity() {
        Info info = client.infoCmd().exec();
        return new HostCapacity(info.getNCPU(), info.getMemTotal());
    }

    /**
     * Whether the engine maps container users to other users of the host (rootless Docker, userns-remap): a
     * container then cannot write a host folder as the folder's owner's uid.
     */
    public boolean remapsUsers() {
        List<String> options = client.infoCmd().exec().getSecurityOptions();
        return options != null && options.stream().anyMatch(o -> o.contains("name=rootless")
                || o.contains("name=userns"));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            // Closing on the way out.
        }
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        // Engine errors arrive as JSON with a trailing newline: keep the message on one line.
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip().replaceAll("\\s+", " ");
    }

    /** No engine to talk to: a setup problem the user can fix. */
    public static final class NoEngineException extends RuntimeException {
        public NoEngineException(String message) {
            super(message);
        }
    }
}
