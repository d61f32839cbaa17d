package io.flhetero.run;

import io.flhetero.model.OptimizerState;
import io.flhetero.report.RunDirectory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The clients' optimizer states of a run's checkpoints, in {@value #DIRECTORY}/ of its run directory: one file per
 * round with the states that changed in it (those of the clients that trained), so that a round of a run with ten
 * thousand clients writes what its hundred trainers changed. A checkpoint names, for each client, the round whose
 * file holds its latest state; files no checkpoint names any more are pruned after the next one is written. Each
 * file is written whole before it is renamed into place, so a crash leaves either all of a round's states or none.
 */
final class OptimizerStateFiles {

    static final String DIRECTORY = "optimizers";
    private static final int MAGIC = 0x464c4f53; // "FLOS"

    private final Path runDir;
    private final Path directory;

    OptimizerStateFiles(Path runDir) {
        this.runDir = runDir;
        this.directory = runDir.resolve(DIRECTORY);
    }

    /** Writes the states that changed in {@code round} (nothing when none did) and makes them durable. */
    void write(int round, Map<String, OptimizerState> changed) {
        if (changed.isEmpty()) {
            return;
        }
        Path file = file(round);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // Adam's moments are mostly zeros early on and where parameters are not trained: they shrink 5x.
                DeflaterOutputStream deflated = new DeflaterOutputStream(Channels.newOutputStream(channel),
                        deflater, 1 << 16);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(deflated, 1 << 16));
                out.writeInt(MAGIC);
                out.writeInt(changed.size());
                for (Map.Entry<String, OptimizerState> e : new TreeMap<>(changed).entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().iteration());
                    float[] moments = e.getValue().moments();
                    out.writeInt(moments.length);
                    ByteBuffer bytes = ByteBuffer.allocate(moments.length * Float.BYTES);
                    bytes.asFloatBuffer().put(moments);
                    out.write(bytes.array());
                }
                out.flush();
                deflated.finish(); // the channel stays open: it is forced to the disk before the rename
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Checkpoint.syncDirectory(directory);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the disk is the problem; the message below says so
            }
            throw RunDirectory.cannotWrite(file, runDir, e);
        } finally {
            deflater.end();
        }
    }

    /** The states a checkpoint names: for each client, the round whose file holds it. */
    Map<String, OptimizerState> read(Map<String, Integer> roundOf) {
        Map<Integer, Set<String>> byRound = roundOf.entrySet().stream().collect(Collectors.groupingBy(
                Map.Entry::getValue, TreeMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toSet())));
        Map<String, OptimizerState> states = new HashMap<>();
        byRound.forEach((round, clients) -> states.putAll(read(file(round), clients)));
        List<String> missing = roundOf.keySet().stream().filter(id -> !states.containsKey(id)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new Checkpoint.CheckpointException(directory + " lacks the optimizer states of " + missing.size()
                    + " client(s), e.g. " + missing.get(0) + "; they were changed from outside: start the "
                    + "experiment again");
        }
        return states;
    }

    private static Map<String, OptimizerState> read(Path file, Set<String> wanted) {
        Map<String, OptimizerState> states = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new InflaterInputStream(
                Files.newInputStream(file)), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a file of optimizer states");
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String id = in.readUTF();
                int iteration = in.readInt();
                byte[] bytes = new byte[in.readInt() * Float.BYTES];
                in.readFully(bytes);
                if (wanted.contains(id)) {
                    float[] moments = new float[bytes.length / Float.BYTES];
                    ByteBuffer.wrap(bytes).asFloatBuffer().get(moments);
                    states.put(id, new OptimizerState(moments, iteration));
                }
            }
        } catch (NoSuchFileException e) {
            throw new Checkpoint.CheckpointException(file + " is missing; it holds optimizer states the checkpoint "
                    + "needs: start the experiment again");
        } catch (EOFException e) {
            throw new Checkpoint.CheckpointException(file + " is cut short; it is written atomically, so it was "
                    + "changed from outside: start the experiment again");
        } catch (IOException e) {
            throw new Checkpoint.CheckpointException(file + " cannot be read (" + e.getMessage() + "): start the "
                    + "experiment again");
        }
        return states;
    }

    /** Removes the files of rounds no checkpoint names any more, and what a crash left half-written. */
    void keepOnly(Collection<Integer> rounds) {
        Set<Path> kept = rounds.stream().map(this::file).collect(Collectors.toSet());
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(f -> !kept.contains(f)).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw RunDirectory.cannotWrite(directory, runDir, e);
        }
    }

    private Path file(int round) {
        return directory.resolve(String.format("round-%05d.bin", round));
    }
}
