package io.flhetero.monitor;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.net.BindException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Serves the Prometheus registry at {@code /metrics} over HTTP, on loopback unless told otherwise. */
public final class MetricsServer implements AutoCloseable {

    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final String host;

    private MetricsServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Binds and starts serving; port 0 picks a free one.
     *
     * @throws PortInUseException when the port is taken
     */
    public static MetricsServer start(Vertx vertx, PrometheusMeterRegistry registry, String host, int port)
            throws InterruptedException {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(request -> {
                    if (PATH.equals(request.path())) {
                        request.response().putHeader("Content-Type", CONTENT_TYPE).end(registry.scrape());
                    } else {
                        request.response().setStatusCode(404).end("fl-hetero serves its metrics at " + PATH + "\n");
                    }
                });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BindException) {
                throw new PortInUseException(host, port);
            }
            throw new IllegalStateException("cannot serve metrics on " + host + ":" + port + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the metrics server did not start within 10 s", e);
        }
        return new MetricsServer(server, host);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://" + host + ":" + port() + PATH;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing on the way out: nothing left to do about it.
        }
    }

    /** The metrics port is taken; the message says how to choose another. */
    public static final class PortInUseException extends RuntimeException {
        public PortInUseException(String host, int port) {
            super("port " + port + " on " + host + " is in use (another run, or another exporter); pass "
                    + "--metrics-port with a free port, or 0 for any");
        }
    }
}
