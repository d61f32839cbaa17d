package io.flhetero.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import io.flhetero.cli.ExitCode;
import io.flhetero.cli.Main;
import io.flhetero.report.RunDirectory;
import io.flhetero.testing.DockerAvailable;
import io.flhetero.testing.DockerCompose;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An exported compose project run by Debian's docker-compose: the server and two clients come up with the
 * device limits, the run completes, and `down` removes what `up` made (a project of its own name, so nothing
 * else on the engine is touched). Synthetic data: plumbing. In this package so that it runs before
 * EngineRestartIT, the last IT.
 */
class ComposeIT {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @Test
    void anExportedProjectRunsTheMixWithItsLimits(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerAvailable.engine()) {
            Path out = dir.resolve("quickstart");
            int metrics;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                metrics = s.getLocalPort();
            }
            assertEquals(ExitCode.OK, Main.execute("export", "compose", "--profile", "quickstart", "--output",
                    out.toString(), "--jar", DockerAvailable.JAR.toAbsolutePath().toString(), "--client-image",
                    DockerAvailable.IMAGE, "--dataset", "synthetic", "--synthetic-examples", "400", "--rounds", "2",
                    "--metrics-port", Integer.toString(metrics), "--no-monitoring"), streams.err());
            String project = "flheteroit" + ProcessHandle.current().pid();
            try {
                DockerCompose.run(out, "-p", project, "up", "-d");
                String server = project + "_server_1";
                Integer exit = engine.client().waitContainerCmd(server).start()
                        .awaitStatusCode(5, TimeUnit.MINUTES);
                assertEquals(0, exit, DockerCompose.run(out, "-p", project, "logs", "--tail", "30"));
                JsonNode summary = new ObjectMapper().readTree(out.resolve("runs/quickstart")
                        .resolve(RunDirectory.SUMMARY).toFile());
                assertEquals("completed", summary.get("status").asText(), summary.toString());
                assertEquals(2, summary.get("rounds_completed").asInt());
                assertEquals("external", summary.get("runtime").asText());
                InspectContainerResponse weak = engine.client().inspectContainerCmd(project + "_client2_1").exec();
                HostConfig limits = weak.getHostConfig();
                assertEquals(500_000_000L, limits.getNanoCPUs(), "quickstart's weak device: 0.5 CPU");
                assertEquals(1L << 30, limits.getMemory());
                assertEquals(1L << 30, limits.getMemorySwap(), "no swap beyond the limit");
            } finally {
                DockerCompose.run(out, "-p", project, "down", "-v");
            }
        }
    }
}
