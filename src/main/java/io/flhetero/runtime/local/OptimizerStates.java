package io.flhetero.runtime.local;

import io.flhetero.model.OptimizerState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The optimizer state of every in-process client between its fits. Adam's moments are twice the model's size for
 * each client that has trained (850 KB at alpha 0.1), so past a memory budget the states used least recently go
 * to files in a scratch directory and come back when their client trains again: memory stays bounded however many
 * clients a run has. The directory is made at the first spill, under the run's directory (not {@code /tmp}, often
 * memory itself), and removed on {@link #close}.
 */
final class OptimizerStates implements AutoCloseable {

    static final String SCRATCH_PREFIX = "optimizer-states-";

    private final long memoryBudget;
    private final Path parent;
    /** In access order: the first is the one used least recently. */
    private final LinkedHashMap<String, OptimizerState> inMemory = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<String> onDisk = new HashSet<>();
    private long bytesInMemory;
    private Path directory;

    /**
     * @param memoryBudget bytes of states held in memory before the oldest go to disk
     * @param parent       where the scratch directory goes
     */
    OptimizerStates(long memoryBudget, Path parent) {
        this.memoryBudget = memoryBudget;
        this.parent = parent;
    }

    /** The client's state; empty before its first fit. */
    synchronized Optional<OptimizerState> get(String clientId) {
        OptimizerState state = inMemory.get(clientId);
        if (state != null || !onDisk.contains(clientId)) {
            return Optional.ofNullable(state);
        }
        state = read(file(clientId));
        onDisk.remove(clientId);
        delete(file(clientId));
        keep(clientId, state);
        return Optional.of(state);
    }

    synchronized void put(String clientId, OptimizerState state) {
        forget(clientId);
        keep(clientId, state);
    }

    /** A restarted client starts from a fresh optimizer, as a restarted process would. */
    synchronized void forget(String clientId) {
        OptimizerState old = inMemory.remove(clientId);
        if (old != null) {
            bytesInMemory -= old.bytes();
        }
        if (onDisk.remove(clientId)) {
            delete(file(clientId));
        }
    }

    synchronized long bytesInMemory() {
        return bytesInMemory;
    }

    synchronized int onDisk() {
        return onDisk.size();
    }

    private void keep(String clientId, OptimizerState state) {
        inMemory.put(clientId, state);
        bytesInMemory += state.bytes();
        for (Iterator<Map.Entry<String, OptimizerState>> oldest = inMemory.entrySet().iterator();
             bytesInMemory > memoryBudget && oldest.hasNext(); ) {
            Map.Entry<String, OptimizerState> e = oldest.next();
            if (e.getKey().equals(clientId)) {
                continue; // the one just used stays, whatever its size
            }
            write(file(e.getKey()), e.getValue());
            onDisk.add(e.getKey());
            bytesInMemory -= e.getValue().bytes();
            oldest.remove();
        }
    }

    private Path file(String clientId) {
        try {
            if (directory == null) {
                directory = Files.createTempDirectory(parent, SCRATCH_PREFIX);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for optimizer states in " + parent, e);
        }
        return directory.resolve(clientId + ".f32");
    }

    private static void write(Path file, OptimizerState state) {
        ByteBuffer buffer = ByteBuffer.allocate((int) state.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(state.iteration());
        buffer.asFloatBuffer().put(state.moments()); // a view: the buffer itself stays after the int
        buffer.rewind();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an optimizer state to " + file, e);
        }
    }

    private static OptimizerState read(Path file) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int iteration = buffer.getInt();
            float[] moments = new float[buffer.remaining() / Float.BYTES];
            buffer.asFloatBuffer().get(moments);
            return new OptimizerState(moments, iteration);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an optimizer state from " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        inMemory.clear();
        onDisk.clear();
        bytesInMemory = 0;
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(OptimizerStates::delete);
        } catch (IOException | UncheckedIOException e) {
            // scratch in the temporary directory: the system cleans it up
        }
        directory = null;
    }
}
