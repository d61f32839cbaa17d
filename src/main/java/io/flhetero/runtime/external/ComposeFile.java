package io.flhetero.runtime.external;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flhetero.jvm.ThisHost;
import io.flhetero.monitor.ScrapeConfig;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileWriter;
import io.flhetero.runtime.docker.ClientLaunch;
import io.flhetero.runtime.docker.JvmSizing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run as a docker-compose project, for people who run the device mix without fl-hetero's orchestrator: the
 * server ({@code run --runtime external}), one service per client with the device's limits
 * ({@code deploy.resources.limits}, swap as much as memory, as {@code run} sets them) and the same command line
 * its container would have, and Prometheus, cAdvisor and Grafana with fl-hetero's provisioning. Every container
 * uses host networking, as {@code run}'s do. The folder it is written to holds all it refers to but the JAR
 * ({@code FL_HETERO_JAR}, default the one that wrote it). The same project is also written for {@code docker stack
 * deploy} on a swarm node, in the form Swarm takes (its host network, no restarts, no memswap, no cAdvisor).
 */
public final class ComposeFile {

    public static final String FILE = "docker-compose.yml";
    public static final String STACK_FILE = "docker-stack.yml";

    /** docker-compose's form, or Swarm's ({@code docker stack deploy}), which lacks some of compose's keys. */
    private enum Form {
        COMPOSE, STACK
    }

    /**
     * @param image        the image every fl-hetero service runs in (a JRE 17)
     * @param jar          the JAR every fl-hetero service mounts, unless {@code FL_HETERO_JAR} says otherwise
     * @param serverArgs   options of the server's {@code run} beyond runtime, id, profile and runs folder (the
     *                     data set, e.g.)
     * @param metricsPort  the server's /metrics, which Prometheus scrapes
     * @param monitoring   Prometheus, cAdvisor and Grafana images; null: no monitoring services
     */
    public record Settings(String image, Path jar, List<String> serverArgs, int metricsPort, Monitoring monitoring) {
    }

    /** The monitoring services' images and ports. */
    public record Monitoring(String prometheusImage, int prometheusPort, String cadvisorImage, int cadvisorPort,
                             String grafanaImage, int grafanaPort, Path grafanaDir) {
    }

    /** Few quotes, but numbers quoted: compose wants a command's arguments and limits as strings. */
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build();
    /** Where runs' directories go, beside the compose file; a run's id is FL_HETERO_RUN_ID (default: the profile). */
    private static final String RUNS = "./runs";

    private ComposeFile() {
    }

    /**
     * Writes docker-compose.yml, docker-stack.yml, profile.yaml, prometheus.yml and grafana/ into {@code dir};
     * returns the compose file.
     */
    public static Path write(Profile profile, Settings s, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.yaml"), "# Profile " + profile.name() + " as resolved (from "
                + profile.source() + "), for " + FILE + " and " + STACK_FILE + "\n" + ProfileWriter.toYaml(profile));
        // Swarm refuses to mount a folder that is not there yet, where compose would create it.
        Files.createDirectories(dir.resolve(RUNS));
        Path file = write(profile, s, dir, Form.COMPOSE);
        write(profile, s, dir, Form.STACK);
        return file;
    }

    private static Path write(Profile profile, Settings s, Path dir, Form form) throws IOException {
        String runId = "${FL_HETERO_RUN_ID:-" + defaultRunId(profile) + "}";
        // compose reads "$" as the start of a variable: "$$" is one.
        String jar = "${FL_HETERO_JAR:-" + s.jar().toAbsolutePath().toString().replace("$", "$$") + "}:"
                + ClientLaunch.JAR + ":ro";
        ObjectNode root = YAML.createObjectNode();
        if (form == Form.STACK) {
            root.put("version", "3.8"); // docker stack deploy reads the version-3 format only
        }
        ObjectNode services = root.putObject("services");
        server(services, s, jar, runId, form);
        for (ClientSpec c : DeviceMix.clients(profile)) {
            client(services, c, s.image(), jar, runId, form);
        }
        if (s.monitoring() != null) {
            monitoring(services, s.monitoring(), s.metricsPort(), dir, form);
        }
        ObjectNode volumes = root.putObject("volumes");
        volumes.putObject("fl-hetero-data");
        volumes.putObject("fl-hetero-javacpp");
        if (form == Form.STACK) {
            // Swarm's way to host networking: its network named host, attached by every service.
            root.putObject("networks").putObject(HOST_NETWORK).put("external", true).put("name", "host");
        }
        Path file = dir.resolve(form == Form.STACK ? STACK_FILE : FILE);
        String header = form == Form.STACK
                ? "# " + profile.name() + " as a Docker Swarm stack, written by `fl-hetero export compose`.\n# Up on "
                + "the swarm manager whose node has this folder (FL_HETERO_NODE, default this machine): "
                + "FL_HETERO_RUN_ID=ID docker stack\n# deploy -c " + STACK_FILE + " NAME; its directory is runs/ID; "
                + "`docker stack rm NAME` removes the services (not the volumes).\n# No cAdvisor (Swarm runs no "
                + "privileged services).\n"
                : "# " + profile.name() + " as a docker-compose project, written by `fl-hetero export compose`.\n# Up: "
                + "docker-compose up; each run needs a new FL_HETERO_RUN_ID (default " + defaultRunId(profile)
                + "), its directory is runs/ID.\n";
        Files.writeString(file, header + "# The JAR is FL_HETERO_JAR, default the one that wrote this; Grafana's "
                + "admin password is in .env.\n" + YAML.writeValueAsString(root));
        return file;
    }

    private static final String HOST_NETWORK = "hostnet";
    /** How long the server waits for its clients, and they for its launch file. */
    private static final String STARTUP = "10m";

    /**
     * A stack's services mount this folder: they run on the node that has it, FL_HETERO_NODE (default this
     * machine's host name, the node's name when the swarm runs here).
     */
    private static void onThisNode(ObjectNode deploy) {
        deploy.putObject("placement").putArray("constraints").add("node.hostname == ${FL_HETERO_NODE:-"
                + ThisHost.name().replace("$", "$$") + "}");
    }

    /** The server: `run` on the external runtime, writing the run's directory under ./runs. */
    private static void server(ObjectNode services, Settings s, String jar, String runId, Form form) {
        ObjectNode server = service(services, "server", s.image(), form);
        ArrayNode volumes = strings(server.putArray("volumes"), jar, "./profile.yaml:/etc/fl-hetero/profile.yaml:ro",
                RUNS + ":/runs", "fl-hetero-data:/root/.cache/fl-hetero");
        if (Files.isDirectory(DEBIAN_DATASETS)) {
            volumes.add(DEBIAN_DATASETS + ":" + DEBIAN_DATASETS + ":ro"); // Fashion-MNIST, MNIST from Debian
        }
        ArrayNode run = strings(server.putArray("command"), "java", "-jar", ClientLaunch.JAR, "run", "--runtime",
                "external", "--run-id", runId, "--profile", "/etc/fl-hetero/profile.yaml", "--runs-dir", "/runs",
                "--metrics-host", "127.0.0.1", "--metrics-port", Integer.toString(s.metricsPort()),
                "--startup-timeout", STARTUP);
        s.serverArgs().forEach(run::add);
        // Stopped last and given time to end its round and write the run directory (clients stop first).
        server.put("stop_grace_period", "2m");
        if (form == Form.STACK) {
            deploy(server).putObject("restart_policy").put("condition", "none"); // one run
        }
    }

    /** A client: its container's command line and JVM sizing under `run`, its device's limits, no swap beyond. */
    private static void client(ObjectNode services, ClientSpec c, String image, String jar, String runId,
                               Form form) {
        DeviceClass d = c.device();
        JvmSizing sizing = JvmSizing.of(d);
        ObjectNode client = service(services, c.id(), image, form);
        // A stack starts every service at once, before the server has made the run's folder, which Swarm then
        // cannot mount: its clients mount the runs folder and wait for the run's launch file in it.
        String runDir = form == Form.STACK ? "/runs/" + runId : ClientLaunch.RUN_DIR;
        if (form == Form.COMPOSE) {
            client.putArray("depends_on").add("server");
            volumes(client, jar, RUNS + "/" + runId + ":" + runDir + ":ro", "fl-hetero-javacpp:" + JvmSizing.JAVACPP_CACHE);
        } else {
            volumes(client, jar, RUNS + ":/runs:ro", "fl-hetero-javacpp:" + JvmSizing.JAVACPP_CACHE);
        }
        strings(client.putArray("environment"), sizing.environment().toArray(String[]::new));
        ArrayNode command = client.putArray("command").add("java");
        sizing.jvmOptions().forEach(command::add);
        // As long as the server waits for its clients (its data set may download first).
        strings(command, "-jar", ClientLaunch.JAR, "client", "--launch", runDir + "/" + ClientLaunch.FILE,
                "--profile", runDir + "/profile.yaml", "--data-dir", runDir + "/" + ClientLaunch.DATA, "--client-id",
                c.id(), "--cpus", Double.toString(d.cpus()), "--memory", d.memory().toString(), "--wait", STARTUP);
        ObjectNode deploy = deploy(client);
        ObjectNode limits = deploy.putObject("resources").putObject("limits");
        limits.put("cpus", ProfileWriter.number(d.cpus()));
        limits.put("memory", d.memory().toString());
        if (form == Form.STACK) {
            // The run decides what a client's death means; Swarm has no swap limit (a host with swap lets a
            // client use as much again).
            deploy.putObject("restart_policy").put("condition", "none");
        } else {
            client.put("memswap_limit", d.memory().toString());
        }
    }

    /** Prometheus, cAdvisor and Grafana, with their configuration beside the compose file. */
    private static void monitoring(ObjectNode services, Monitoring m, int metricsPort, Path dir, Form form)
            throws IOException {
        // cAdvisor names the containers PROJECT_clientN_1: the dashboard's panels select them by the service.
        Files.writeString(dir.resolve("prometheus.yml"), ScrapeConfig.render("127.0.0.1:" + metricsPort,
                "127.0.0.1:" + m.cadvisorPort()) + """
                    metric_relabel_configs:
                      - source_labels: [container_label_com_docker_compose_service]
                        regex: (client.+)
                        target_label: name
                """);
        ObjectNode prometheus = service(services, "prometheus", m.prometheusImage(), form);
        volumes(prometheus, "./prometheus.yml:/etc/fl-hetero/prometheus.yml:ro");
        strings(prometheus.putArray("command"), "--config.file=/etc/fl-hetero/prometheus.yml",
                "--web.listen-address=127.0.0.1:" + m.prometheusPort());
        if (form == Form.COMPOSE) {
            ObjectNode cadvisor = service(services, "cadvisor", m.cadvisorImage(), form);
            cadvisor.put("privileged", true);
            volumes(cadvisor, "/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro",
                    "/var/lib/docker:/var/lib/docker:ro");
            strings(cadvisor.putArray("command"), "-listen_ip=127.0.0.1", "-port=" + m.cadvisorPort(),
                    "-docker_only=true");
        }
        copyTree(m.grafanaDir(), dir.resolve("grafana"));
        ObjectNode grafana = service(services, "grafana", m.grafanaImage(), form);
        volumes(grafana, "./grafana/grafana.ini:/etc/fl-hetero/grafana.ini:ro",
                "./grafana/provisioning:/etc/grafana/provisioning:ro",
                "./grafana/dashboards:/var/lib/grafana/dashboards:ro");
        ArrayNode environment = strings(grafana.putArray("environment"), "GF_PATHS_CONFIG=/etc/fl-hetero/grafana.ini",
                "GF_SERVER_HTTP_PORT=" + m.grafanaPort(), "FL_HETERO_PROMETHEUS_URL=http://127.0.0.1:"
                        + m.prometheusPort());
        if (form == Form.STACK) {
            grafana.putArray("env_file").add(".env"); // docker stack deploy does not read .env by itself
        } else {
            environment.add("GF_SECURITY_ADMIN_PASSWORD=${GF_SECURITY_ADMIN_PASSWORD}");
            writeEnv(dir.resolve(".env"), "GF_SECURITY_ADMIN_PASSWORD=" + randomPassword());
        }
    }

    private static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

    /** The profile's name as a run id (letters, digits, '-', '_'; at most 64). */
    static String defaultRunId(Profile profile) {
        String id = profile.name().replaceAll("[^A-Za-z0-9_-]", "-").replaceFirst("^[-_]+", "");
        id = id.isEmpty() ? "compose" : id;
        return id.substring(0, Math.min(64, id.length()));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The project's .env, owner-only: it holds a password. */
    private static void writeEnv(Path file, String line) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# Read by docker-compose; owner-only.\n" + line + "\n");
    }

    private static ObjectNode service(ObjectNode services, String name, String image, Form form) {
        ObjectNode service = services.putObject(name);
        service.put("image", image);
        if (form == Form.STACK) {
            service.putArray("networks").add(HOST_NETWORK);
            onThisNode(service.putObject("deploy"));
        } else {
            service.put("network_mode", "host");
        }
        return service;
    }

    private static ObjectNode deploy(ObjectNode service) {
        return service.has("deploy") ? (ObjectNode) service.get("deploy") : service.putObject("deploy");
    }

    private static void volumes(ObjectNode service, String... binds) {
        strings(service.putArray("volumes"), binds);
    }

    private static ArrayNode strings(ArrayNode array, String... values) {
        for (String v : values) {
            array.add(v);
        }
        return array;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("no Grafana provisioning in " + from + " (grafana.ini, provisioning/, dashboards/); "
                    + "give --grafana-dir, or --no-monitoring");
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
