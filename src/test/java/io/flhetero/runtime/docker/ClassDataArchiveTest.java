package io.flhetero.runtime.docker;

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
        ClassDataArchive archive = ClassDataArchive.forJar(jar, dir, "/cache/javacpp");
        assertEquals("/cache/javacpp/fl-hetero-1234-1700000000000.jsa", archive.containerFile());

        assertEquals(List.of("-Xlog:cds*=error", "-XX:ArchiveClassesAtExit=" + archive.containerFile()),
                archive.jvmOptions(true));
        assertEquals(List.of(), archive.jvmOptions(false), "only one client writes it");

        Files.write(archive.hostFile(), new byte[] {1});
        assertEquals(List.of("-Xlog:cds*=error", "-XX:SharedArchiveFile=" + archive.containerFile()),
                archive.jvmOptions(false));
        assertEquals(archive.jvmOptions(false), archive.jvmOptions(true));
    }

    @Test
    void aRebuiltJarGetsItsOwnArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("fl-hetero.jar"), new byte[10]);
        String before = ClassDataArchive.forJar(jar, dir, "/c").containerFile();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertNotEquals(before, ClassDataArchive.forJar(jar, dir, "/c").containerFile());
    }

    @Test
    void archivesOfEarlierJarsAreRemovedAndNothingElse(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("fl-hetero.jar"), new byte[10]);
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path earlier = Files.write(cache.resolve("fl-hetero-10-1600000000000.jsa"), new byte[1]);
        Path natives = Files.createDirectories(cache.resolve("org"));
        ClassDataArchive archive = ClassDataArchive.forJar(jar, cache, "/c");
        Files.write(archive.hostFile(), new byte[1]);

        archive.removeStale();

        assertFalse(Files.exists(earlier));
        assertTrue(Files.exists(archive.hostFile()));
        assertTrue(Files.isDirectory(natives), "javacpp's natives share the cache");
    }
}
