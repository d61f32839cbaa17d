package io.flhetero.monitor.stack;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.flhetero.monitor.ScrapeConfig;
import io.flhetero.runtime.docker.Images;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.RunLabels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prometheus, cAdvisor and Grafana as containers of a run, on the host network and bound to 127.0.0.1.
 * A component whose image is missing and cannot be pulled is skipped with one line naming the image and how
 * to get it; the run goes on, and /metrics still has every series (cAdvisor's included, from Docker stats).
 */
public final class MonitoringStack implements AutoCloseable {

    /** Images and ports of the stack (the `run` options give the defaults: public images, the original's ports). */
    public record Settings(String prometheusImage, int prometheusPort, String cadvisorImage, int cadvisorPort,
                           String grafanaImage, int grafanaPort, String grafanaPassword, Path grafanaDir) {
    }

    private final DockerEngine engine;
    private final String runId;
    private final List<String> started = new ArrayList<>();

    private MonitoringStack(DockerEngine engine, String runId) {
        this.engine = engine;
        this.runId = runId;
    }

    /**
     * Starts what it can and says what it skipped.
     *
     * @param metricsTarget host:port of fl-hetero's /metrics
     * @param runDir        where the rendered prometheus.yml goes (mounted into Prometheus)
     */
    public static MonitoringStack start(DockerEngine engine, String runId, Settings s, String metricsTarget, Path runDir,
                                        Consumer<String> say) throws IOException {
        MonitoringStack stack = new MonitoringStack(engine, runId);
        boolean cadvisor = stack.available(s.cadvisorImage(), "cAdvisor", say)
                && stack.run("cadvisor", s.cadvisorImage(), List.of("-listen_ip=127.0.0.1", "-port=" + s.cadvisorPort(),
                        "-docker_only=true"), List.of(), List.of(
                        bind("/", "/rootfs", AccessMode.ro), bind("/var/run", "/var/run", AccessMode.ro),
                        bind("/sys", "/sys", AccessMode.ro), bind("/var/lib/docker", "/var/lib/docker", AccessMode.ro)),
                        true, say);
        Path config = runDir.resolve("prometheus.yml");
        Files.writeString(config, ScrapeConfig.render(metricsTarget, cadvisor ? "127.0.0.1:" + s.cadvisorPort() : null));
        if (stack.available(s.prometheusImage(), "Prometheus", say)) {
            stack.run("prometheus", s.prometheusImage(), List.of("--config.file=/etc/fl-hetero/prometheus.yml",
                    "--storage.tsdb.path=/tmp/prometheus", "--web.listen-address=127.0.0.1:" + s.prometheusPort()),
                    List.of(), List.of(bind(config.toAbsolutePath().toString(), "/etc/fl-hetero/prometheus.yml",
                            AccessMode.ro)), false, say);
            say.accept("Prometheus: http://127.0.0.1:" + s.prometheusPort());
        }
        if (stack.available(s.grafanaImage(), "Grafana", say)) {
            String password = s.grafanaPassword() != null ? s.grafanaPassword() : randomPassword();
            Path grafana = s.grafanaDir().toAbsolutePath();
            stack.run("grafana", s.grafanaImage(), List.of(), List.of(
                            "GF_SECURITY_ADMIN_PASSWORD=" + password,
                            "GF_PATHS_CONFIG=/etc/fl-hetero/grafana.ini",
                            "GF_SERVER_HTTP_PORT=" + s.grafanaPort(),
                            "FL_HETERO_PROMETHEUS_URL=http://127.0.0.1:" + s.prometheusPort()),
                    List.of(bind(grafana.resolve("grafana.ini").toString(), "/etc/fl-hetero/grafana.ini", AccessMode.ro),
                            bind(grafana.resolve("provisioning").toString(), "/etc/grafana/provisioning", AccessMode.ro),
                            bind(grafana.resolve("dashboards").toString(), "/var/lib/grafana/dashboards", AccessMode.ro)),
                    false, say);
            say.accept("Grafana: http://127.0.0.1:" + s.grafanaPort() + " (anonymous read-only; admin password "
                    + (s.grafanaPassword() != null ? "as given" : password) + ")");
        }
        return stack;
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

    private boolean run(String role, String image, List<String> args, List<String> env, List<Bind> binds,
                        boolean privileged, Consumer<String> say) {
        DockerClient docker = engine.client();
        try {
            String id = docker.createContainerCmd(image)
                    .withName("fl-hetero-" + role + "-" + runId)
                    .withLabels(RunLabels.monitoring(runId, role))
                    .withCmd(args)
                    .withEnv(env)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withBinds(binds)
                            .withPrivileged(privileged))
                    .exec().getId();
            docker.startContainerCmd(id).exec();
            started.add(id);
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

    @Override
    public void close() {
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
