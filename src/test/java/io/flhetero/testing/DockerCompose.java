package io.flhetero.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debian's docker-compose, for the tests of exported projects; missing, they are skipped (failed in CI). */
public final class DockerCompose {

    private DockerCompose() {
    }

    /** Runs docker-compose in the folder (its .env read as a user's would be); its output. It must succeed. */
    public static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            Requirement.missing("docker-compose", "no docker-compose to run (" + e.getMessage() + "); install "
                    + "Debian's docker-compose");
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "docker-compose " + String.join(" ", args));
        assertEquals(0, p.exitValue(), "docker-compose " + String.join(" ", args) + ":\n" + output);
        return output;
    }
}
