package io.flhetero.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fetches the official CIFAR-10 binary archive into a cache folder once and unpacks it to
 * {@code cacheDir/cifar-10-batches-bin}. The folder appears only after the archive has been
 * verified and fully extracted, so an interrupted run never leaves a half-usable data set behind.
 */
public final class CifarDownloader {

    public static final URI DEFAULT_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    public static final String DEFAULT_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public static final long DEFAULT_SIZE_BYTES = 170_052_171L;

    private static final String PART_FILE = "cifar-10-binary.tar.gz.part";

    private final URI url;
    private final String expectedMd5;
    private final Consumer<HttpDownload.Progress> progress;

    public CifarDownloader(URI url, String expectedMd5, Consumer<HttpDownload.Progress> progress) {
        this.url = url;
        this.expectedMd5 = expectedMd5.toLowerCase(Locale.ROOT);
        this.progress = progress;
    }

    /** Downloads from the official URL. */
    public CifarDownloader(Consumer<HttpDownload.Progress> progress) {
        this(DEFAULT_URL, DEFAULT_MD5, progress);
    }

    /**
     * Returns the {@code cifar-10-batches-bin} folder under {@code cacheDir}, downloading and
     * extracting it first unless a complete copy is already there.
     *
     * @throws DataException when the download fails, the checksum does not match or the archive is unusable
     */
    public Path ensure(Path cacheDir) {
        Path target = cacheDir.resolve(CifarDirectory.FOLDER_NAME);
        Optional<CifarDirectory> existing = CifarDirectory.find(target);
        if (existing.isPresent()) {
            return existing.get().path();
        }
        Path part = cacheDir.resolve(PART_FILE);
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new DataException("Could not create the data cache folder " + cacheDir + " (" + e
                    + "); pass --data-dir with a writable folder", e);
        }
        try {
            String actualMd5 = download(part);
            verifyChecksum(actualMd5);
            return extract(part, cacheDir, target);
        } finally {
            deleteQuietly(part);
        }
    }

    /** Streams the archive to {@code part} and returns its MD5. */
    private String download(Path part) {
        try {
            return HttpDownload.fetch(url, part, progress);
        } catch (IOException e) {
            throw downloadFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw downloadFailed(e);
        }
    }

    private void verifyChecksum(String actualMd5) {
        if (!expectedMd5.equals(actualMd5)) {
            throw new DataException("CIFAR-10 download from " + url + " is corrupt: expected MD5 " + expectedMd5
                    + " but got " + actualMd5 + "; the partial file was deleted, so run again to retry,"
                    + " or pass --data-dir with an existing copy of cifar-10-batches-bin");
        }
    }

    private Path extract(Path archive, Path cacheDir, Path target) {
        try (StagingFolder staging = StagingFolder.in(cacheDir, "cifar-10-extract-")) {
            TarGzExtractor.extract(archive, staging.path());
            Path extracted = staging.path().resolve(CifarDirectory.FOLDER_NAME);
            if (CifarDirectory.find(extracted).isEmpty()) {
                throw new IOException("it has no complete " + CifarDirectory.FOLDER_NAME + " folder");
            }
            staging.publish(extracted, target);
            return target;
        } catch (IOException e) {
            throw new DataException("The CIFAR-10 archive downloaded from " + url + " could not be extracted into "
                    + cacheDir + " (" + e.getMessage() + "); check free disk space, or pass --data-dir with an"
                    + " existing copy of cifar-10-batches-bin", e);
        }
    }

    private DataException downloadFailed(Exception cause) {
        return new DataException("CIFAR-10 could not be downloaded from " + url + " (" + cause
                + "); pass --data-dir with an existing copy of cifar-10-batches-bin,"
                + " or use --dataset synthetic to run without it", cause);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stale .part file is overwritten by the next download.
        }
    }
}
