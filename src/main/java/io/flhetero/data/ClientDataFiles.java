package io.flhetero.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Each client's share of the data, written by the orchestrator for client processes to read: one CIFAR-10
 * binary file for its train part and one for its test part. A client then reads a few hundred kilobytes instead
 * of loading (or generating) the whole data set and splitting it itself, CPU and memory that a container
 * limited to half a CPU would otherwise spend on every start.
 */
public final class ClientDataFiles {

    private final Path dir;

    public ClientDataFiles(Path dir) {
        this.dir = dir;
    }

    /** Writes every client's data, by client index, for clients named {@code ids}. */
    public void write(List<String> ids, List<ClientData> data) {
        for (int i = 0; i < ids.size(); i++) {
            CifarBinaryFormat.write(train(ids.get(i)), data.get(i).train());
            CifarBinaryFormat.write(test(ids.get(i)), data.get(i).test());
        }
    }

    /** One client's data; an empty file is an empty part (a test split of 0). */
    public ClientData read(String id) {
        return new ClientData(readPart(train(id)), readPart(test(id)));
    }

    /** Removes the files and their folder: they are scratch, the run's data set is their source. */
    public void delete() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the client data in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ImageSet readPart(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == 0) {
                return ImageSet.empty();
            }
        } catch (IOException e) {
            throw new DataException("Could not read " + file + " (" + e + ")", e);
        }
        if (!Files.isRegularFile(file)) {
            throw new DataException("no client data at " + file + ": the orchestrator writes it into the run "
                    + "directory before it starts the client; start clients through `run`");
        }
        return CifarBinaryFormat.read(file);
    }

    private Path train(String id) {
        return dir.resolve(id + "-train.bin");
    }

    private Path test(String id) {
        return dir.resolve(id + "-test.bin");
    }
}
