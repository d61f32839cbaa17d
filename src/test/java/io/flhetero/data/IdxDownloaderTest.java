package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDownloaderTest {

    private static final String MIRROR = "/fashion/";

    @TempDir
    Path cache;

    private FileMirror server;
    private final AtomicBoolean targetSeenEarly = new AtomicBoolean();
    private final IdxWriter.Images train = IdxWriter.images(20, 1);
    private final IdxWriter.Images test = IdxWriter.images(10, 2);

    /** Serves the four .gz files of a small data set on loopback; anything else is 404. */
    @BeforeEach
    void startMirror() throws IOException {
        server = FileMirror.start();
        Path staging = Files.createTempDirectory("idx-mirror-");
        IdxWriter.directory(staging, train, test, true);
        for (String name : IdxDirectory.FILES) {
            Path file = staging.resolve(name + ".gz");
            server.put(MIRROR + name + ".gz", Files.readAllBytes(file));
            Files.delete(file);
        }
        Files.delete(staging);
        server.onRequest(() -> {
            if (Files.exists(cache.resolve("fashion-mnist"))) {
                targetSeenEarly.set(true);
            }
        });
    }

    @AfterEach
    void stopMirror() {
        server.close();
    }

    @Test
    void downloadsVerifiesAndMovesIntoPlaceThenReusesTheCache() throws IOException {
        List<String> progressed = new ArrayList<>();
        IdxDownloader downloader = new IdxDownloader(KnownDataset.FASHION_MNIST, mirror(), md5s(),
                (file, p) -> {
                    if (p.fraction() == 1.0) {
                        progressed.add(file);
                    }
                });

        Path folder = downloader.ensure(cache);

        assertEquals(cache.resolve("fashion-mnist"), folder);
        assertFalse(targetSeenEarly.get(), "the folder must appear only once all four files are verified");
        assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz"), progressed);
        IdxDirectory data = IdxDirectory.at(folder);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, data.test().labels());
        assertEquals(train.gray()[28 * 28] & 0xFF, data.train().pixel(1, 0, 2, 2));
        assertEquals(List.of("fashion-mnist"), listing(cache), "no staging folder left");

        assertEquals(folder, downloader.ensure(cache));
        assertEquals(4, server.requests(), "the second ensure() must not download again");
    }

    @Test
    void checksumMismatchLeavesNothingBehind() throws IOException {
        List<String> md5s = new ArrayList<>(md5s());
        String wrong = "0123456789abcdef0123456789abcdef";
        md5s.set(2, wrong);
        IdxDownloader downloader = new IdxDownloader(KnownDataset.FASHION_MNIST, mirror(), md5s, (file, p) -> { });

        DataException e = assertThrows(DataException.class, () -> downloader.ensure(cache));

        assertTrue(e.getMessage().startsWith("Fashion-MNIST download from " + mirror().resolve(
                "t10k-images-idx3-ubyte.gz") + " is corrupt: expected MD5 " + wrong + " but got "
                + FileMirror.md5(server.get(MIRROR + "t10k-images-idx3-ubyte.gz"))), e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void httpErrorNamesTheFileAndLeavesNothingBehind() throws IOException {
        IdxDownloader downloader = new IdxDownloader(KnownDataset.FASHION_MNIST, mirror(), md5s(), (file, p) -> { });
        server.remove(MIRROR + "t10k-labels-idx1-ubyte.gz");

        DataException e = assertThrows(DataException.class, () -> downloader.ensure(cache));

        assertTrue(e.getMessage().contains("could not be downloaded from " + mirror().resolve(
                "t10k-labels-idx1-ubyte.gz")), e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir") && e.getMessage().contains("--dataset synthetic"),
                e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    private URI mirror() {
        return server.uri(MIRROR);
    }

    private List<String> md5s() {
        return IdxDirectory.FILES.stream().map(name -> FileMirror.md5(server.get(MIRROR + name + ".gz"))).toList();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
