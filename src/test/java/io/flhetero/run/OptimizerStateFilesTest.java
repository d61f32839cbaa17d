package io.flhetero.run;

import io.flhetero.model.OptimizerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerStateFilesTest {

    private static OptimizerState state(int iteration) {
        float[] moments = new float[1_000];
        for (int i = 0; i < moments.length; i += 7) {
            moments[i] = iteration + i / 1000f;
        }
        return new OptimizerState(moments, iteration);
    }

    @Test
    void eachRoundWritesOnlyTheStatesThatChangedAndACheckpointReadsEachClientsLatest(@TempDir Path run)
            throws Exception {
        OptimizerStateFiles files = new OptimizerStateFiles(run);
        files.write(1, Map.of("a", state(1), "b", state(2)));
        files.write(2, Map.of("b", state(3)));
        files.write(3, Map.of());
        files.keepOnly(List.of(1, 2));
        assertEquals(List.of("round-00001.bin", "round-00002.bin"), names(run), "a round without changes writes none");

        Map<String, OptimizerState> read = files.read(Map.of("a", 1, "b", 2));
        assertEquals(1, read.get("a").iteration());
        assertArrayEquals(state(1).moments(), read.get("a").moments());
        assertEquals(3, read.get("b").iteration());
        assertArrayEquals(state(3).moments(), read.get("b").moments());

        files.write(4, Map.of("a", state(4)));
        Files.writeString(run.resolve(OptimizerStateFiles.DIRECTORY).resolve("round-00005.bin.tmp"), "cut short");
        files.keepOnly(List.of(4, 2));
        assertEquals(List.of("round-00002.bin", "round-00004.bin"), names(run),
                "round 1's file went with the last client it held, and a crash's leftover with it");
    }

    @Test
    void aMissingOrDamagedFileIsACheckpointErrorThatSaysWhichAndWhatToDo(@TempDir Path run) throws Exception {
        OptimizerStateFiles files = new OptimizerStateFiles(run);
        files.write(1, Map.of("a", state(1)));
        Checkpoint.CheckpointException missing = assertThrows(Checkpoint.CheckpointException.class,
                () -> files.read(Map.of("a", 2)));
        assertTrue(missing.getMessage().contains("round-00002.bin is missing"), missing.getMessage());
        Checkpoint.CheckpointException absent = assertThrows(Checkpoint.CheckpointException.class,
                () -> files.read(Map.of("z", 1)));
        assertTrue(absent.getMessage().contains("e.g. z"), absent.getMessage());

        Path file = run.resolve(OptimizerStateFiles.DIRECTORY).resolve("round-00001.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        Checkpoint.CheckpointException cut = assertThrows(Checkpoint.CheckpointException.class,
                () -> files.read(Map.of("a", 1)));
        assertTrue(cut.getMessage().contains("start the experiment again"), cut.getMessage());
    }

    private static List<String> names(Path run) throws Exception {
        try (Stream<Path> files = Files.list(run.resolve(OptimizerStateFiles.DIRECTORY))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
