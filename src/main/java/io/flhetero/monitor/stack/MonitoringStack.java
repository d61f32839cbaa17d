package io.flhetero.monitor.stack;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.flhetero.jvm.ThisHost;
import io.flhetero.monitor.ScrapeConfig;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.Images;
import io.flhetero.runtime.docker.RunLabels;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Prometheus, cAdvisor and Grafana as containers of a run, on the host network and bound to 127.0.0.1.
 * A component whose image is missing and cannot be pulled is skipped with one line naming the image and how
 * to get it; the run goes on, and /metrics still has every series (cAdvisor's included, from Docker stats).
 * Prometheus keeps its data in the run directory ({@value #DATA}/), so that {@link #serve} can bring it back
 * over a finished run.
 */
public final class MonitoringStack implements AutoCloseable {

    /** Images and ports of the stack (the `run` options give the defaults: public images, the original's ports). */
    public record Settings(String prometheusImage, int prometheusPort, String cadvisorImage, int cadvisorPort,
                           String grafanaImage, int grafanaPort, String grafanaPassword, Path grafanaDir) {
    }

    /** The public images `run`, `dashboard` and `export compose` use unless told otherwise. */
    public static final String PROMETHEUS_IMAGE = "prom/prometheus:v2.53.2";
    public static final String CADVISOR_IMAGE = "gcr.io/cadvisor/cadvisor:v0.47.0";
    public static final String GRAFANA_IMAGE = "grafana/grafana:11.1.4";

    /** The run directory's folder of Prometheus data. */
    public static final String DATA = "prometheus";

    /** Prometheus deletes older data when it starts; a run's data is kept as long as its directory. */
    private static final String RETENTION = "--storage.tsdb.retention.time=100y";

    private final DockerEngine engine;
    private final String runId;
    private final List<String> started = new ArrayList<>();
    private String prometheus;
    /** Whether the containers outlive this process (a dashboard) rather than go with the run. */
    private final boolean outlivesUs;

    private MonitoringStack(DockerEngine engine, String runId, boolean outlivesUs) {
        this.engine = engine;
        this.runId = runId;
        this.outlivesUs = outlivesUs;
    }

    /**
     * Starts what it can and says what it skipped.
     *
     * @param metricsTarget host:port of fl-hetero's /metrics
     * @param runDir        where the rendered prometheus.yml goes (mounted into Prometheus)
     */
    public static MonitoringStack start(DockerEngine engine, String runId, Settings s, String metricsTarget, Path runDir,
                                        Consumer<String> say) throws IOException {
        MonitoringStack stack = new MonitoringStack(engine, runId, false);
        try {
            boolean cadvisor = stack.available(s.cadvisorImage(), "cAdvisor", say)
                    && stack.run("cadvisor", s.cadvisorImage(), List.of("-listen_ip=127.0.0.1",
                            "-port=" + s.cadvisorPort(), "-docker_only=true"), List.of(), List.of(
                            bind("/", "/rootfs", AccessMode.ro), bind("/var/run", "/var/run", AccessMode.ro),
                            bind("/sys", "/sys", AccessMode.ro),
                            bind("/var/lib/docker", "/var/lib/docker", AccessMode.ro)), PRIVILEGED, say);
            Path config = runDir.resolve("prometheus.yml");
            Files.writeString(config, ScrapeConfig.render(metricsTarget, cadvisor ? "127.0.0.1:" + s.cadvisorPort()
                    : null));
            if (stack.prometheus(s, config, runDir, say)) {
                try {
                    stack.awaitReady(s.prometheusPort());
                } catch (IllegalStateException e) {
                    say.accept("warning: " + e.getMessage() + "; the run goes on, /metrics has every series");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a stop while starting: the run ends at once
                }
            }
            stack.grafana(s, say);
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Brings Prometheus (and Grafana, where its image is) back up over a finished run's data and leaves them
     * running, labelled with the run, for {@code stop RUN} to take down.
     *
     * @throws IllegalStateException when Prometheus does not start or does not get ready; nothing is left behind
     */
    public static void serve(DockerEngine engine, String runId, Settings s, Path runDir, Consumer<String> say)
            throws IOException, InterruptedException {
        MonitoringStack stack = new MonitoringStack(engine, runId, true);
        boolean up = false;
        try {
            Path config = runDir.resolve("prometheus-dashboard.yml");
            Files.writeString(config, ScrapeConfig.renderNothing());
            if (!stack.prometheus(s, config, runDir, say)) {
                throw new IllegalStateException("Prometheus did not start over " + runDir.resolve(DATA));
            }
            stack.awaitReady(s.prometheusPort());
            if (ThisHost.portFree("127.0.0.1", s.grafanaPort())) {
                stack.grafana(s, say);
            } else {
                say.accept("Grafana skipped: 127.0.0.1:" + s.grafanaPort() + " is in use; give another with "
                        + "--grafana-port");
            }
            up = true;
        } finally {
            if (!up) {
                stack.close();
            }
        }
    }

    /**
     * Prometheus on the run's data, as the owner of the run directory, so that the data stays the user's. Where the
     * engine remaps users (rootless, userns-remap) the image's own user writes it, into a folder open to it.
     */
    private boolean prometheus(Settings s, Path config, Path runDir, Consumer<String> say) throws IOException {
        if (!available(s.prometheusImage(), "Prometheus", say)) {
            return false;
        }
        Path data = Files.createDirectories(runDir.resolve(DATA)).toAbsolutePath();
        String user = null;
        if (engine.remapsUsers()) {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        } else {
            user = Files.getAttribute(runDir, "unix:uid") + ":" + Files.getAttribute(runDir, "unix:gid");
        }
        boolean ran = run("prometheus", s.prometheusImage(), List.of("--config.file=/etc/fl-hetero/prometheus.yml",
                        "--storage.tsdb.path=/prometheus-data", RETENTION,
                        "--web.listen-address=127.0.0.1:" + s.prometheusPort()), List.of(),
                List.of(bind(config.toAbsolutePath().toString(), "/etc/fl-hetero/prometheus.yml", AccessMode.ro),
                        bind(data.toString(), "/prometheus-data", AccessMode.rw)), user, say);
        if (ran) {
            prometheus = started.get(started.size() - 1);
            say.accept("Prometheus: http://127.0.0.1:" + s.prometheusPort());
        }
        return ran;
    }

    private void grafana(Settings s, Consumer<String> say) {
        if (available(s.grafanaImage(), "Grafana", say)) {
            String password = s.grafanaPassword() != null ? s.grafanaPassword() : randomPassword();
            Path grafana = s.grafanaDir().toAbsolutePath();
            run("grafana", s.grafanaImage(), List.of(), List.of(
                            "GF_SECURITY_ADMIN_PASSWORD=" + password,
                            "GF_PATHS_CONFIG=/etc/fl-hetero/grafana.ini",
                            "GF_SERVER_HTTP_PORT=" + s.grafanaPort(),
                            "FL_HETERO_PROMETHEUS_URL=http://127.0.0.1:" + s.prometheusPort()),
                    List.of(bind(grafana.resolve("grafana.ini").toString(), "/etc/fl-hetero/grafana.ini", AccessMode.ro),
                            bind(grafana.resolve("provisioning").toString(), "/etc/grafana/provisioning", AccessMode.ro),
                            bind(grafana.resolve("dashboards").toString(), "/var/lib/grafana/dashboards", AccessMode.ro)),
                    null, say);
            say.accept("Grafana: http://127.0.0.1:" + s.grafanaPort() + " (anonymous read-only; admin password "
                    + (s.grafanaPassword() != null ? "as given" : password) + ")");
        }
    }

    /** Waits until Prometheus answers /-/ready; fails with its log's end when it does not within a minute. */
    private void awaitReady(int port) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/-/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus did not get ready on 127.0.0.1:" + port + " within 60 s; its "
                + "log ends with: " + ClientContainers.tail(engine.client(), prometheus, 5));
    }

    /** The image is there or can be pulled; otherwise one line says what was skipped and how to get it. */
    private boolean available(String image, String what, Consumer<String> say) {
        try {
            Images.ensure(engine, image, line -> { });
            return true;
        } catch (Images.ImageException e) {
            say.accept(what + " skipped: its image " + image + " is not on this engine and cannot be pulled; pull or "
                    + "build it (Prometheus: `sudo " + Images.OFFLINE_SCRIPT + "` gives fl-hetero/prometheus:2) "
                    + "and pass its --" + what.toLowerCase() + "-image");
            return false;
        }
    }

    /** cAdvisor's way of running: privileged, as root, to read every container's cgroups. */
    private static final String PRIVILEGED = "privileged";

    /** @param user uid:gid to run as, {@link #PRIVILEGED}, or null for the image's own user */
    private boolean run(String role, String image, List<String> args, List<String> env, List<Bind> binds,
                        String user, Consumer<String> say) {
        DockerClient docker = engine.client();
        try {
            var create = docker.createContainerCmd(image)
                    .withName("fl-hetero-" + role + "-" + runId)
                    .withLabels(outlivesUs ? RunLabels.dashboard(runId, role) : RunLabels.monitoring(runId, role))
                    .withCmd(args)
                    .withEnv(env)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withBinds(binds)
                            .withPrivileged(PRIVILEGED.equals(user)));
            if (user != null && !PRIVILEGED.equals(user)) {
                create.withUser(user);
            }
            String id = create.exec().getId();
            started.add(id); // removed with the others, also when it does not start
            docker.startContainerCmd(id).exec();
            return true;
        } catch (RuntimeException e) {
            say.accept(role + " could not start: " + e.getMessage());
            return false;
        }
    }

    private static Bind bind(String host, String container, AccessMode mode) {
        return new Bind(host, new Volume(container), mode);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Removes the containers. Prometheus first gets one more scrape, so that the run's last values are in its data,
     * and a clean stop, so that its data is complete on disk.
     */
    @Override
    public void close() {
        if (prometheus != null) {
            try {
                Thread.sleep(ScrapeConfig.SCRAPE_INTERVAL_MILLIS + 500);
                engine.client().stopContainerCmd(prometheus).withTimeout(10).exec();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // Gone already, or stopped: removed below either way.
            }
        }
        for (String id : started) {
            try {
                engine.client().removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException e) {
                // Already gone.
            }
        }
        started.clear();
    }

}
