package io.flhetero.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * One file fetched over HTTP, streamed to disk with its MD5 computed on the way, so that checking it costs no
 * second read, and with progress reported at most every 1 % or every second. Both downloaders use it.
 */
public final class HttpDownload {

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

    private HttpDownload() {}

    /**
     * Streams {@code url} into {@code file} and returns the MD5 of what was written, in lower-case hex.
     *
     * @throws IOException for a status other than 200, a failed connection or a body shorter than announced
     */
    static String fetch(URI url, Path file, Consumer<Progress> progress) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            return stream(body, file, total, progress);
        }
    }

    private static String stream(InputStream body, Path file, long total, Consumer<Progress> progress)
            throws IOException {
        MessageDigest md5 = newMd5();
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        long reportedBytes = 0;
        long reportedAt = System.nanoTime();
        long step = total > 0 ? Math.max(1, total / 100) : Long.MAX_VALUE;
        progress.accept(new Progress(0, total));
        try (OutputStream out = Files.newOutputStream(file)) {
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

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
    }
}
