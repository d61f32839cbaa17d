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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The clients' optimizer states of a run's checkpoints, in {@value #DIRECTORY}/ of its run directory: one file per
 * round with the states that changed in it (those of the clients that trained), so that a round of a run with ten
 * thousand clients writes what its hundred trainers changed. The checkpoint holds the index: for each client, the
 * round whose file holds its latest state. A file whose states are mostly outdated has its few live ones copied
 * into the next round's file, and files the index no longer names are removed after the checkpoint that stopped
 * naming them is written; so the folder stays within about twice the live states. Each file is written whole
 * before it is renamed into place, so a crash leaves either all of a round's states or none.
 */
final class OptimizerStateFiles {

    static final String DIRECTORY = "optimizers";
    private static final int MAGIC = 0x464c4f53; // "FLOS"

    private final Path runDir;
    private final Path directory;
    /** For each client with a state, the round whose file holds it. */
    private final Map<String, Integer> index = new TreeMap<>();
    /** How many states each file holds, live or not. */
    private final Map<Integer, Integer> stored = new HashMap<>();
    /** The rounds whose files the last checkpoint names: what pruning keeps, whatever was forgotten since. */
    private Set<Integer> named = Set.of();

    /** @param index a checkpoint's index, for a resumed run; empty for a new one */
    OptimizerStateFiles(Path runDir, Map<String, Integer> index) {
        this.runDir = runDir;
        this.directory = runDir.resolve(DIRECTORY);
        this.index.putAll(index);
    }

    /** A client whose process was restarted lost its optimizer: a resume must not give it the old state back. */
    synchronized void forget(String clientId) {
        index.remove(clientId);
    }

    /**
     * Writes round {@code round}'s file: the states that changed in it and the live states of files that are
     * mostly outdated; clients no longer in the run leave the index.
     *
     * @return the index a checkpoint of this round holds
     */
    synchronized Map<String, Integer> checkpoint(int round, Map<String, OptimizerState> changed, Set<String> members) {
        index.keySet().retainAll(members);
        Map<String, OptimizerState> written = new HashMap<>(changed);
        changed.keySet().forEach(index::remove);
        Map<Integer, Set<String>> live = byRound(index);
        live.forEach((r, clients) -> {
            if (r != round && clients.size() * 2 < storedIn(r)) {
                written.putAll(read(file(r), clients));
            }
        });
        write(round, written);
        written.keySet().forEach(id -> index.put(id, round));
        if (!written.isEmpty()) {
            stored.put(round, written.size());
        }
        named = Set.copyOf(index.values());
        return Map.copyOf(index);
    }

    /** After the checkpoint was written: removes the files it does not name, and what a crash left half-written. */
    synchronized void prune() {
        Set<Path> kept = named.stream().map(this::file).collect(Collectors.toSet());
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
        stored.keySet().retainAll(named);
    }

    /** A completed run has nothing to resume: its clients' states go (hundreds of megabytes for many clients). */
    synchronized void discard() {
        index.clear();
        named = Set.of();
        prune();
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw RunDirectory.cannotWrite(directory, runDir, e);
        }
    }

    /** Before a resume starts anything: every file the index names is there. */
    synchronized void requireFiles() {
        for (int round : new TreeSet<>(index.values())) {
            if (!Files.isRegularFile(file(round))) {
                throw new Checkpoint.CheckpointException(file(round) + " is missing; it holds optimizer states the "
                        + "checkpoint needs: start the experiment again");
            }
        }
    }

    /** Gives the indexed states to {@code restore} one file at a time, so that a resume holds one round's at most. */
    synchronized void restore(Consumer<Map<String, OptimizerState>> restore) {
        byRound(index).forEach((round, clients) -> {
            Map<String, OptimizerState> states = read(file(round), clients);
            List<String> missing = clients.stream().filter(id -> !states.containsKey(id)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new Checkpoint.CheckpointException(file(round) + " lacks the optimizer states of "
                        + missing.size() + " client(s), e.g. " + missing.get(0) + "; it was changed from outside: "
                        + "start the experiment again");
            }
            restore.accept(states);
        });
    }

    private static Map<Integer, Set<String>> byRound(Map<String, Integer> index) {
        return index.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue, TreeMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toSet())));
    }

    /** How many states a file holds, from its header when this process did not write it. */
    private int storedIn(int round) {
        return stored.computeIfAbsent(round, r -> {
            try (DataInputStream in = open(file(r))) {
                return in.readInt() == MAGIC ? in.readInt() : 0;
            } catch (IOException e) {
                return 0; // read() will say what is wrong with it, if it is ever needed
            }
        });
    }

    /** Writes a round's file (nothing when there is nothing to write) and makes it durable. */
    private void write(int round, Map<String, OptimizerState> changed) {
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

    private static Map<String, OptimizerState> read(Path file, Set<String> wanted) {
        Map<String, OptimizerState> states = new HashMap<>();
        try (DataInputStream in = open(file)) {
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

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(new InflaterInputStream(Files.newInputStream(file)),
                1 << 16));
    }

    private Path file(int round) {
        return directory.resolve(String.format("round-%05d.bin", round));
    }
}
