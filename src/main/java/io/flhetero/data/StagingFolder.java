package io.flhetero.data;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A temporary folder in the cache where a download is assembled out of readers' sight. Only a complete result is
 * moved into place, in one rename on the same file system; whatever is left here is deleted on close, so an
 * interrupted or failed download never leaves a half-usable data set behind.
 */
final class StagingFolder implements AutoCloseable {

    private final Path path;

    private StagingFolder(Path path) {
        this.path = path;
    }

    /** A new empty folder in {@code cacheDir}, whose name starts with {@code prefix}. */
    static StagingFolder in(Path cacheDir, String prefix) throws IOException {
        return new StagingFolder(Files.createTempDirectory(cacheDir, prefix));
    }

    Path path() {
        return path;
    }

    /** Moves {@code built} (this folder or one inside it) to {@code target}, replacing what is there. */
    void publish(Path built, Path target) throws IOException {
        // A leftover incomplete folder from an older run would block the rename.
        deleteRecursively(target);
        Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // Only a leftover temp folder; the download's result is what matters.
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
