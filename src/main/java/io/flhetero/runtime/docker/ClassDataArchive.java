package io.flhetero.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive (AppCDS) of the client JVM's classes, kept in the cache that client containers
 * share. Starting a client loads and verifies thousands of classes (Hazelcast, Vert.x, Netty, DL4J) from a
 * 200 MB JAR, CPU that a container limited to half a CPU pays twice over. The first client of a run that finds
 * no archive writes one when it exits; later runs map it instead of loading those classes again. The JVM only
 * uses an archive made from the same JAR, so the name carries the JAR's size and modification time; the JVM's
 * own CDS messages are kept to errors. Archives of other JARs (earlier builds, ~65 MB each) are removed when
 * a new one is about to be written.
 *
 * @param hostFile      where the archive is on this machine
 * @param containerFile the same file as client containers see it
 */
public record ClassDataArchive(Path hostFile, String containerFile) {

    private static final String PREFIX = "fl-hetero-";
    private static final String SUFFIX = ".jsa";

    /** @param cache the shared cache folder on this machine, mounted at {@code containerCache} in containers */
    public static ClassDataArchive forJar(Path jar, Path cache, String containerCache) {
        try {
            String name = PREFIX + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + SUFFIX;
            return new ClassDataArchive(cache.resolve(name), containerCache + "/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    /** Whether an earlier run wrote the archive. */
    public boolean present() {
        return Files.isRegularFile(hostFile);
    }

    /** Removes the archives of other JARs from the cache: the JVM would refuse them anyway. */
    public void removeStale() {
        try (Stream<Path> files = Files.list(hostFile.getParent())) {
            for (Path p : files.filter(this::stale).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A full cache costs disk space, not correctness; the next run tries again.
        }
    }

    private boolean stale(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && !p.equals(hostFile);
    }

    /** JVM options: map the archive when there is one, else (for one client only) write it at exit. */
    public List<String> jvmOptions(boolean writer) {
        if (present()) {
            return List.of("-Xlog:cds*=error", "-XX:SharedArchiveFile=" + containerFile);
        }
        return writer ? List.of("-Xlog:cds*=error", "-XX:ArchiveClassesAtExit=" + containerFile) : List.of();
    }
}
