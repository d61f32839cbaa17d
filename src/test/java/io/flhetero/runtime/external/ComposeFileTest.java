package io.flhetero.runtime.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flhetero.cli.ExitCode;
import io.flhetero.jvm.ThisHost;
import io.flhetero.cli.Main;
import io.flhetero.testing.DockerCompose;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `export compose` on the seed profile: a service per client with its device's limits and command line, the
 * server and the monitoring stack, validated by Debian's docker-compose. Running it is {@code ComposeIT}'s.
 */
class ComposeFileTest {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @Test
    void theSeedProfileBecomesAComposeProjectThatDockerComposeAccepts(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("fl-hetero.jar"), "not really a JAR: only mounted");
        Path out = dir.resolve("seed");
        assertEquals(ExitCode.OK, Main.execute("export", "compose", "--profile", "seed", "--output", out.toString(),
                "--jar", jar.toString(), "--client-image", "fl-hetero/jre:17"), streams.err());
        JsonNode compose = new YAMLMapper().readTree(out.resolve(ComposeFile.FILE).toFile());
        JsonNode services = compose.get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("server", "client1", "client2", "client3", "client4", "prometheus", "cadvisor",
                "grafana"), names);
        JsonNode client1 = services.get("client1");
        assertEquals("4", client1.at("/deploy/resources/limits/cpus").asText(), "the original's 4-CPU device");
        assertEquals("3g", client1.at("/deploy/resources/limits/memory").asText());
        assertEquals("3g", client1.get("memswap_limit").asText(), "no swap beyond the limit");
        assertEquals("host", client1.get("network_mode").asText());
        String command = client1.get("command").toString();
        assertTrue(command.contains("\"client\"") && command.contains("\"--client-id\",\"client1\"")
                && command.contains("-XX:ActiveProcessorCount=4"), command);
        assertTrue(services.get("server").get("command").toString().contains("\"--runtime\",\"external\""));
        assertTrue(Files.isRegularFile(out.resolve("profile.yaml")) && Files.isRegularFile(out.resolve(
                "prometheus.yml")) && Files.isRegularFile(out.resolve("grafana/dashboards/fl-hetero.json")),
                "the folder holds what the file refers to");

        // The same project for `docker stack deploy`, in the form Swarm takes (SwarmRuntimeIT deploys one).
        JsonNode stack = new YAMLMapper().readTree(out.resolve(ComposeFile.STACK_FILE).toFile());
        assertEquals("3.8", stack.get("version").asText());
        List<String> stackServices = new ArrayList<>();
        stack.get("services").fieldNames().forEachRemaining(stackServices::add);
        assertEquals(List.of("server", "client1", "client2", "client3", "client4", "prometheus", "grafana"),
                stackServices, "no cAdvisor: Swarm runs no privileged services");
        JsonNode stackClient = stack.at("/services/client1");
        assertEquals("4", stackClient.at("/deploy/resources/limits/cpus").asText());
        assertEquals("none", stackClient.at("/deploy/restart_policy/condition").asText(), "the run decides restarts");
        assertEquals("none", stack.at("/services/server/deploy/restart_policy/condition").asText());
        assertTrue(stackClient.get("memswap_limit") == null && stackClient.get("network_mode") == null
                && stackClient.get("depends_on") == null, "keys Swarm does not take: " + stackClient);
        assertEquals("[\"hostnet\"]", stackClient.get("networks").toString());
        assertEquals("host", stack.at("/networks/hostnet/name").asText());
        assertTrue(stackClient.get("command").toString().contains("\"--launch\",\"/runs/${FL_HETERO_RUN_ID:-seed}/"
                + "client.json\""), stackClient.get("command").toString());
        assertEquals("[\".env\"]", stack.at("/services/grafana/env_file").toString());
        assertEquals("[\"node.hostname == ${FL_HETERO_NODE:-" + ThisHost.name() + "}\"]",
                stack.at("/services/prometheus/deploy/placement/constraints").toString(),
                "every service runs on the node that has the folder it mounts");
        assertEquals(stack.at("/services/prometheus/deploy/placement"), stackClient.at("/deploy/placement"));
        assertTrue(Files.isDirectory(out.resolve("runs")), "Swarm mounts only folders that exist");

        assertEquals(ExitCode.BAD_INPUT, Main.execute("export", "compose", "--profile", "stragglers-churn",
                "--output", dir.resolve("churn").toString(), "--jar", jar.toString()));
        assertTrue(streams.err().contains("only `run` can play"), streams.err());

        // Debian's docker-compose reads it as its own: the same services, limits and volumes; Grafana's password
        // comes from the project's owner-only .env.
        String normalized = DockerCompose.run(out, "config");
        assertTrue(normalized.contains("memswap_limit: 3g") && normalized.contains("cpus: 2.5"), normalized);
        assertTrue(normalized.matches("(?s).*GF_SECURITY_ADMIN_PASSWORD: [0-9a-f]{24}\\R.*"), normalized);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(".env"))));
        // And the stack file as a version-3.8 file (the schema `docker stack deploy` reads), monitoring included.
        String stackConfig = DockerCompose.run(out, "-f", ComposeFile.STACK_FILE, "config");
        assertTrue(stackConfig.contains("node.hostname == " + ThisHost.name()), stackConfig);
    }
}
