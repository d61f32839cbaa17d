package io.flhetero.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDownloaderTest {

    private static final String ARCHIVE_PATH = "/cifar-10-binary.tar.gz";

    @TempDir
    Path cache;

    private FileMirror server;
    private byte[] archive;
    private final ImageSet train = RandomImages.of(100, 20);
    private final ImageSet test = RandomImages.of(10, 21);

    @BeforeEach
    void startServer() throws IOException {
        archive = cifarArchive(train, test);
        server = FileMirror.start();
        server.put(ARCHIVE_PATH, archive);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void downloadsVerifiesAndExtractsThenReusesTheCache() throws Exception {
        List<HttpDownload.Progress> progress = new ArrayList<>();
        CifarDownloader downloader = new CifarDownloader(url(ARCHIVE_PATH), FileMirror.md5(archive), progress::add);

        Path folder = downloader.ensure(cache);

        assertEquals(cache.resolve("cifar-10-batches-bin"), folder);
        CifarDirectory data = CifarDirectory.at(folder);
        assertArrayEquals(train.labels(), data.train().labels());
        assertArrayEquals(train.image(99), data.train().image(99));
        assertArrayEquals(test.image(3), data.test().image(3));
        HttpDownload.Progress last = progress.get(progress.size() - 1);
        assertEquals(archive.length, last.bytesDone());
        assertEquals(archive.length, last.totalBytes());
        assertEquals(1.0, last.fraction(), 1e-9);
        assertEquals(List.of("cifar-10-batches-bin"), listing(cache), "no .part or staging folder left");

        assertEquals(folder, downloader.ensure(cache));
        assertEquals(1, server.requests(), "the second ensure() must not download again");
    }

    @Test
    void checksumMismatchLeavesNothingBehind() throws IOException {
        String wrong = "0123456789abcdef0123456789abcdef";
        CifarDownloader downloader = new CifarDownloader(url(ARCHIVE_PATH), wrong, p -> {});

        DataException e = assertThrows(DataException.class, () -> downloader.ensure(cache));

        assertTrue(e.getMessage().contains("expected MD5 " + wrong + " but got " + FileMirror.md5(archive)), e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void httpErrorSuggestsAlternatives() throws IOException {
        URI missing = url("/nothing-here.tar.gz");
        CifarDownloader downloader = new CifarDownloader(missing, FileMirror.md5(archive), p -> {});

        DataException e = assertThrows(DataException.class, () -> downloader.ensure(cache));

        assertTrue(e.getMessage().contains("could not be downloaded from " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir") && e.getMessage().contains("--dataset synthetic"),
                e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void archiveEntriesEscapingTheCacheAreRejected() throws IOException {
        archive = new TarGzBuilder().file("../escaped.bin", new byte[10]).build();
        server.put(ARCHIVE_PATH, archive);
        CifarDownloader downloader = new CifarDownloader(url(ARCHIVE_PATH), FileMirror.md5(archive), p -> {});

        DataException e = assertThrows(DataException.class, () -> downloader.ensure(cache));

        assertTrue(e.getMessage().contains("outside the extraction folder"), e.getMessage());
        assertFalse(Files.exists(cache.resolveSibling("escaped.bin")));
        assertEquals(List.of(), listing(cache));
    }

    private URI url(String path) {
        return server.uri(path);
    }

    private static byte[] cifarArchive(ImageSet train, ImageSet test) throws IOException {
        Path staging = Files.createTempDirectory("cifar-archive-");
        try {
            CifarDirectory.write(staging, train, test);
            TarGzBuilder tar = new TarGzBuilder().directory("cifar-10-batches-bin");
            for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                    "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin")) {
                tar.file("cifar-10-batches-bin/" + name, Files.readAllBytes(staging.resolve(name)));
                Files.delete(staging.resolve(name));
            }
            tar.file("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n".getBytes());
            return tar.build();
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
