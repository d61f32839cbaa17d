package io.flhetero.cli;

import io.flhetero.run.Checkpoint;
import io.flhetero.testing.Requirement;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runs folder on a disk that fills up during the run (a small tmpfs this test mounts): the run fails with one
 * line saying which file, why and what is kept, and exits 1. Needs root for the mount (CI has it).
 */
class FullDiskTest {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @Test
    void aFullRunsDiskFailsTheRunWithWhatAndWhereAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Path runs = Files.createDirectories(dir.resolve("small-disk"));
        // Room for the run directory and one round's checkpoint (~1.3 MB for two clients), not for two of them.
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1800k", "tmpfs", runs.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mount.waitFor() != 0) {
            Requirement.missing("full-disk", "cannot mount a tmpfs (needs root): " + output.strip());
        }
        try {
            fillsUp(runs);
        } finally {
            // Before the temporary folder is deleted, which a mount point would stop.
            new ProcessBuilder("umount", runs.toString()).inheritIO().start().waitFor();
        }
    }

    private void fillsUp(Path runs) throws Exception {
        int exit = Main.execute("run", "--runtime", "local", "--profile", "quickstart", "--dataset", "synthetic",
                "--synthetic-examples", "400", "--rounds", "6", "--metrics-port", "0", "--runs-dir", runs.toString());

        String message = streams.err();
        assertEquals(ExitCode.FAILED, exit, message);
        assertTrue(message.contains("No space left on device"), message);
        assertTrue(message.contains("Free space on its disk, or give --runs-dir on another"), message);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(runs)) {
            dirs = list.filter(Files::isDirectory).toList();
        }
        assertEquals(1, dirs.size());
        assertTrue(Files.exists(dirs.get(0).resolve("checkpoint.zip")), "the last complete checkpoint is kept");
        assertTrue(Files.notExists(dirs.get(0).resolve("checkpoint.zip.tmp")), "a partial one is not left behind");
        assertTrue(Checkpoint.read(dirs.get(0)).orElseThrow().round() >= 1, "and the kept one is whole");
    }
}
