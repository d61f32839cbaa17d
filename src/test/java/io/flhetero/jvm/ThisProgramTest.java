package io.flhetero.jvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The commit a JAR was built from, as its manifest says (the build writes it; a build outside git cannot). */
class ThisProgramTest {

    @Test
    void theCommitComesFromTheManifestWhenTheBuildKnewIt(@TempDir Path dir) throws Exception {
        assertEquals(Optional.of("3f2a9c1"), ThisProgram.commit(jar(dir, "a.jar", "3f2a9c1", "false")));
        assertEquals(Optional.of("3f2a9c1 with local changes"), ThisProgram.commit(jar(dir, "b.jar", "3f2a9c1",
                "true")));
        assertEquals(Optional.empty(), ThisProgram.commit(jar(dir, "c.jar", "${git.commit.id.abbrev}",
                "${git.dirty}")), "built outside a git clone: the property was never set");
        assertEquals(Optional.empty(), ThisProgram.commit(dir.resolve("missing.jar")));
    }

    private static Path jar(Path dir, String name, String commit, String dirty) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Build-Commit", commit);
        manifest.getMainAttributes().putValue("Build-Dirty", dirty);
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            return jar;
        }
    }
}
