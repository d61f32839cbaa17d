package io.flhetero.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
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
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    /** Download progress; {@code totalBytes} is -1 when the server does not send a length. */
    public record Progress(long bytesDone, long totalBytes) {

        public boolean totalKnown() {
            return totalBytes >= 0;
        }

        /** Fraction done in [0,1], or -1 when the total is unknown. */
        public double fraction() {
            return totalKnown() && totalBytes > 0 ? (double) bytesDone / totalBytes : -1;
        }
    }

    private final URI url;
    private final String expectedMd5;
    private final Consumer<Progress> progress;

    public CifarDownloader(URI url, String expectedMd5, Consumer<Progress> progress) {
        this.url = url;
        this.expectedMd5 = expectedMd5.toLowerCase(Locale.ROOT);
        this.progress = progress;
    }

    /** Downloads from the official URL. */
    public CifarDownloader(Consumer<Progress> progress) {
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

    /** Streams the archive to {@code part} and returns its MD5, computed on the fly to avoid a second read. */
    private String download(Path part) {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode());
                }
                long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                return stream(body, part, total);
            }
        } catch (IOException e) {
            throw downloadFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw downloadFailed(e);
        }
    }

    private String stream(InputStream body, Path part, long total) throws IOException {
        MessageDigest md5 = newMd5();
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        long reportedBytes = 0;
        long reportedAt = System.nanoTime();
        long step = total > 0 ? Math.max(1, total / 100) : Long.MAX_VALUE;
        progress.accept(new Progress(0, total));
        try (OutputStream out = Files.newOutputStream(part)) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                md5.update(buffer, 0, read);
                done += read;
                long now = System.nanoTime();
                if (done - reportedBytes >= step || now - reportedAt >= PROGRESS_INTERVAL_NANOS) {
                    progress.accept(new Progress(done, total));
                    reportedBytes = done;
                    reportedAt = now;
                }
            }
        }
        if (reportedBytes != done) {
            progress.accept(new Progress(done, total));
        }
        if (total >= 0 && done != total) {
            throw new IOException("connection closed after " + done + " of " + total + " bytes");
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private void verifyChecksum(String actualMd5) {
        if (!expectedMd5.equals(actualMd5)) {
            throw new DataException("CIFAR-10 download from " + url + " is corrupt: expected MD5 " + expectedMd5
                    + " but got " + actualMd5 + "; the partial file was deleted, so run again to retry,"
                    + " or pass --data-dir with an existing copy of cifar-10-batches-bin");
        }
    }

    private Path extract(Path archive, Path cacheDir, Path target) {
        Path staging = null;
        try {
            staging = Files.createTempDirectory(cacheDir, "cifar-10-extract-");
            TarGzExtractor.extract(archive, staging);
            Path extracted = staging.resolve(CifarDirectory.FOLDER_NAME);
            if (CifarDirectory.find(extracted).isEmpty()) {
                throw new IOException("it has no complete " + CifarDirectory.FOLDER_NAME + " folder");
            }
            // A leftover incomplete folder from an older run would block the rename.
            deleteRecursively(target);
            Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new DataException("The CIFAR-10 archive downloaded from " + url + " could not be extracted into "
                    + cacheDir + " (" + e.getMessage() + "); check free disk space, or pass --data-dir with an"
                    + " existing copy of cifar-10-batches-bin", e);
        } finally {
            try {
                deleteRecursively(staging);
            } catch (IOException ignored) {
                // Only a leftover temp folder; the extraction result is what matters.
            }
        }
    }

    private DataException downloadFailed(Exception cause) {
        return new DataException("CIFAR-10 could not be downloaded from " + url + " (" + cause
                + "); pass --data-dir with an existing copy of cifar-10-batches-bin,"
                + " or use --dataset synthetic to run without it", cause);
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stale .part file is overwritten by the next download.
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
