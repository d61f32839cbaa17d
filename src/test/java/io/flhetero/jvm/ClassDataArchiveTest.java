package io.flhetero.jvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDataArchiveTest {

    @Test
    void oneClientWritesTheArchiveThenEveryClientMapsIt(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("fl-hetero.jar"), new byte[1234]);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
        ClassDataArchive archive = ClassDataArchive.forJar(jar, "client", dir, "/cache/javacpp");
        assertEquals("/cache/javacpp/fl-hetero-client-1234-1700000000000.jsa", archive.containerFile());

        assertEquals(List.of("-Xlog:cds*=error", "-XX:ArchiveClassesAtExit=" + archive.containerFile() + ".draft"),
                archive.jvmOptions(true));
        assertEquals(List.of(), archive.jvmOptions(false), "only one client writes it");

        Files.write(dir.resolve(archive.hostFile().getFileName() + ".draft"), new byte[] {1});
        assertEquals(List.of(), archive.jvmOptions(false), "a draft is not an archive yet");
        archive.keep();
        assertEquals(List.of("-Xlog:cds*=error", "-XX:SharedArchiveFile=" + archive.containerFile()),
                archive.jvmOptions(false));
        assertEquals(archive.jvmOptions(false), archive.jvmOptions(true));
    }

    @Test
    void aWriterThatFailedLeavesNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("fl-hetero.jar"), new byte[5]);
        ClassDataArchive archive = ClassDataArchive.forJar(jar, "run-17", dir, dir.toString());
        Path draft = Files.write(dir.resolve(archive.hostFile().getFileName() + ".draft"), new byte[] {1});

        archive.discard();

        assertFalse(Files.exists(draft));
        assertFalse(archive.present());
    }

    @Test
    void aRebuiltJarGetsItsOwnArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("fl-hetero.jar"), new byte[10]);
        String before = ClassDataArchive.forJar(jar, "client", dir, "/c").containerFile();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertNotEquals(before, ClassDataArchive.forJar(jar, "client", dir, "/c").containerFile());
    }

    @Test
    void writingAnArchiveRemovesThoseOfEarlierJarsAndNothingElse(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("fl-hetero.jar"), new byte[10]);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path earlier = Files.write(cache.resolve("fl-hetero-client-10-1600000000000.jsa"), new byte[1]);
        Path olderName = Files.write(cache.resolve("fl-hetero-10-1600000000000.jsa"), new byte[1]);
        Path natives = Files.createDirectories(cache.resolve("org"));
        ClassDataArchive run = ClassDataArchive.forJar(jar, "run", cache, cache.toString());
        Files.write(run.hostFile(), new byte[1]);

        ClassDataArchive.forJar(jar, "client", cache, "/c").jvmOptions(true);

        assertFalse(Files.exists(earlier));
        assertFalse(Files.exists(olderName));
        assertTrue(Files.exists(run.hostFile()), "the same JAR's archive for the other role stays");
        assertTrue(Files.isDirectory(natives), "javacpp's natives share the cache");
    }
}
