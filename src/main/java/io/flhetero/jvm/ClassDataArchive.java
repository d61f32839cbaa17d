package io.flhetero.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive (AppCDS) of one kind of fl-hetero JVM (the orchestrator's or a client's), kept in
 * a cache folder. Starting either loads and verifies thousands of classes (Hazelcast, Vert.x, Netty, DL4J) from a
 * 200 MB JAR, CPU that a client container limited to half a CPU pays twice over. The first JVM that finds no
 * archive writes one when it exits; later ones map it instead of loading those classes again. The JVM only uses
 * an archive made from the same JAR, so the name carries the JAR's size and modification time; the JVM's own CDS
 * messages are kept to errors. Archives of other JARs (earlier builds, up to ~65 MB each) are removed when a new
 * one is about to be written.
 *
 * @param hostFile      where the archive is on this machine
 * @param containerFile the same file as the JVM that uses it sees it (a container's mount, or hostFile)
 * @param jarTag        the JAR's size and modification time, which every archive of this JAR carries
 */
public record ClassDataArchive(Path hostFile, String containerFile, String jarTag) {

    private static final String PREFIX = "fl-hetero-";
    private static final String SUFFIX = ".jsa";
    private static final String DRAFT = ".draft";

    /**
     * @param role           which JVM the archive serves, and on which Java: {@code run-17.0.15} or
     *                       {@code client-IMAGE_ID} (an archive only maps into the JVM build that wrote it)
     * @param cache          the cache folder on this machine, mounted at {@code containerCache} in containers
     * @param containerCache the same folder as the JVM that uses the archive sees it
     */
    public static ClassDataArchive forJar(Path jar, String role, Path cache, String containerCache) {
        String tag = ThisProgram.tag(jar);
        String name = PREFIX + role + "-" + tag + SUFFIX;
        return new ClassDataArchive(cache.resolve(name), containerCache + "/" + name, tag);
    }

    /** Whether an earlier JVM wrote the archive. */
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
        String name = p.getFileName().toString().replaceFirst(DRAFT + "$", "");
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && !name.endsWith("-" + jarTag + SUFFIX);
    }

    /**
     * JVM options: map the archive when there is one, else (for the writer only) write it at exit, after
     * removing those of earlier JARs. The writer writes a draft: {@link #keep()} makes it the archive once the
     * writer has ended well, so that a JVM killed while writing leaves no broken archive behind.
     */
    public List<String> jvmOptions(boolean writer) {
        if (present()) {
            return List.of("-Xlog:cds*=error", "-XX:SharedArchiveFile=" + containerFile);
        }
        if (!writer) {
            return List.of();
        }
        removeStale();
        return List.of("-Xlog:cds*=error", "-XX:ArchiveClassesAtExit=" + containerFile + DRAFT);
    }

    /** After the writer exited with status 0: its draft becomes the archive. */
    public void keep() {
        Path draft = draft();
        try {
            if (Files.isRegularFile(draft)) {
                Files.move(draft, hostFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            discard();
        }
    }

    /** After the writer failed or was killed: its draft, if any, goes. */
    public void discard() {
        try {
            Files.deleteIfExists(draft());
        } catch (IOException e) {
            // The next writer overwrites it.
        }
    }

    private Path draft() {
        return hostFile.resolveSibling(hostFile.getFileName() + DRAFT);
    }
}
