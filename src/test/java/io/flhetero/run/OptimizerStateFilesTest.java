package io.flhetero.run;

import io.flhetero.model.OptimizerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerStateFilesTest {

    private static final Set<String> MEMBERS = Set.of("a", "b", "c", "d");

    private static OptimizerState state(int iteration) {
        float[] moments = new float[1_000];
        for (int i = 0; i < moments.length; i += 7) {
            moments[i] = iteration + i / 1000f;
        }
        return new OptimizerState(moments, iteration);
    }

    private static Map<String, OptimizerState> restored(Path run, Map<String, Integer> index) {
        Map<String, OptimizerState> all = new HashMap<>();
        new OptimizerStateFiles(run, index).restore(all::putAll);
        return all;
    }

    @Test
    void eachRoundWritesOnlyTheStatesThatChangedAndAResumeGetsEachClientsLatest(@TempDir Path run) throws Exception {
        OptimizerStateFiles files = new OptimizerStateFiles(run, Map.of());
        files.checkpoint(1, Map.of("a", state(1), "b", state(2), "c", state(5)), MEMBERS);
        files.prune();
        Map<String, Integer> index = files.checkpoint(2, Map.of("b", state(3)), MEMBERS);
        files.prune();
        assertEquals(Map.of("a", 1, "b", 2, "c", 1), index);
        assertEquals(index, files.checkpoint(3, Map.of(), MEMBERS));
        files.prune();
        assertEquals(List.of("round-00001.bin", "round-00002.bin"), names(run), "a round without changes writes none");

        Map<String, OptimizerState> read = restored(run, index);
        assertEquals(1, read.get("a").iteration());
        assertArrayEquals(state(1).moments(), read.get("a").moments());
        assertEquals(3, read.get("b").iteration());
        assertArrayEquals(state(3).moments(), read.get("b").moments());

        // A resumed run (a new instance on the checkpoint's index) carries on; a crash's leftover goes.
        OptimizerStateFiles resumed = new OptimizerStateFiles(run, index);
        Files.writeString(run.resolve(OptimizerStateFiles.DIRECTORY).resolve("round-00005.bin.tmp"), "cut short");
        index = resumed.checkpoint(4, Map.of("a", state(4), "c", state(6)), MEMBERS);
        resumed.prune();
        assertEquals(Map.of("a", 4, "b", 2, "c", 4), index);
        assertEquals(List.of("round-00002.bin", "round-00004.bin"), names(run),
                "round 1's file went with the last clients it held");
    }

    @Test
    void aMostlyOutdatedFileHasItsLiveStatesMovedOnAndLeftOrRestartedClientsLeaveTheIndex(@TempDir Path run)
            throws Exception {
        OptimizerStateFiles files = new OptimizerStateFiles(run, Map.of());
        files.checkpoint(1, Map.of("a", state(1), "b", state(2), "c", state(3)), MEMBERS);
        files.checkpoint(2, Map.of("b", state(4)), MEMBERS);
        files.prune();
        assertEquals(List.of("round-00001.bin", "round-00002.bin"), names(run), "two of three still live: kept");
        Map<String, Integer> index = files.checkpoint(3, Map.of("c", state(5)), MEMBERS);
        files.prune();
        assertEquals(Map.of("a", 3, "b", 2, "c", 3), index, "one of three live: a moved on with round 3's file");
        assertEquals(List.of("round-00002.bin", "round-00003.bin"), names(run));
        assertEquals(1, restored(run, index).get("a").iteration(), "moved whole");

        files.forget("b"); // restarted: a fresh optimizer
        index = files.checkpoint(4, Map.of(), Set.of("a", "b")); // c left the run
        files.prune();
        assertEquals(Map.of("a", 3), index);
        assertEquals(List.of("round-00003.bin"), names(run));
    }

    @Test
    void aMissingOrDamagedFileIsACheckpointErrorThatSaysWhichAndWhatToDo(@TempDir Path run) throws Exception {
        new OptimizerStateFiles(run, Map.of()).checkpoint(1, Map.of("a", state(1)), MEMBERS);
        Checkpoint.CheckpointException missing = assertThrows(Checkpoint.CheckpointException.class,
                () -> new OptimizerStateFiles(run, Map.of("a", 2)).requireFiles());
        assertTrue(missing.getMessage().contains("round-00002.bin is missing"), missing.getMessage());
        Checkpoint.CheckpointException absent = assertThrows(Checkpoint.CheckpointException.class,
                () -> restored(run, Map.of("z", 1)));
        assertTrue(absent.getMessage().contains("e.g. z"), absent.getMessage());

        Path file = run.resolve(OptimizerStateFiles.DIRECTORY).resolve("round-00001.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        Checkpoint.CheckpointException cut = assertThrows(Checkpoint.CheckpointException.class,
                () -> restored(run, Map.of("a", 1)));
        assertTrue(cut.getMessage().contains("start the experiment again"), cut.getMessage());
    }

    private static List<String> names(Path run) throws Exception {
        try (Stream<Path> files = Files.list(run.resolve(OptimizerStateFiles.DIRECTORY))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
