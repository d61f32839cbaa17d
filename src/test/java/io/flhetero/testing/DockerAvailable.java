package io.flhetero.testing;

import io.flhetero.runtime.docker.DockerEngine;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Docker tests' gate: without an engine, the client image or the JAR they are skipped with a line saying
 * why, except in CI (CI=true), where they fail: CI provides all three (.ci/run).
 */
public final class DockerAvailable {

    public static final String IMAGE = System.getenv().getOrDefault("FL_HETERO_CLIENT_IMAGE", "fl-hetero/jre:17");
    public static final Path JAR = Path.of("target", "fl-hetero.jar");

    private DockerAvailable() {
    }

    public static DockerEngine engine() {
        DockerEngine engine;
        try {
            engine = DockerEngine.connect();
        } catch (DockerEngine.NoEngineException e) {
            skipOrFail(e.getMessage());
            return null;
        }
        try {
            engine.client().inspectImageCmd(IMAGE).exec();
        } catch (RuntimeException e) {
            engine.close();
            skipOrFail("the client image " + IMAGE + " is missing; build it with "
                    + "scripts/build-offline-images.sh or set FL_HETERO_CLIENT_IMAGE");
        }
        if (!Files.isRegularFile(JAR)) {
            engine.close();
            skipOrFail(JAR + " is missing; they run in `mvn verify`, after packaging");
        }
        return engine;
    }

    /** Skips (fails in CI) unless the image is on the engine. */
    public static void requireImage(DockerEngine engine, String image) {
        try {
            engine.client().inspectImageCmd(image).exec();
        } catch (RuntimeException e) {
            skipOrFail("the image " + image + " is missing; build it with "
                    + "scripts/build-offline-images.sh");
        }
    }

    private static void skipOrFail(String why) {
        Requirement.missing("Docker", why);
    }
}
