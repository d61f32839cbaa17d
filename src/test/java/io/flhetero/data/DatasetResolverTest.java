package io.flhetero.data;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetResolverTest {

    @TempDir
    Path dir;
    private FileMirror mirror;
    private final List<String> warnings = new ArrayList<>();

    /** A mirror on loopback that has nothing but what a test puts below /idx/: the rest is 404. */
    @BeforeEach
    void emptyMirror() throws Exception {
        mirror = FileMirror.start();
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private DatasetResolver resolver(Path dataDir, boolean allowSynthetic) {
        URI url = mirror.uri("/cifar-10-binary.tar.gz");
        return new DatasetResolver(dataDir, dir.resolve("cache"), allowSynthetic, 200,
                new CifarDownloader(url, CifarDownloader.DEFAULT_MD5, p -> { }), warnings::add);
    }

    /** Looks for system-wide data sets in {@code dir/system}, and downloads IDX files from the loopback mirror. */
    private DatasetResolver idxResolver(Path dataDir, boolean allowSynthetic) {
        URI cifar = mirror.uri("/cifar-10-binary.tar.gz");
        URI idx = mirror.uri("/idx/");
        List<String> md5s = IdxDirectory.FILES.stream().map(name -> mirror.get("/idx/" + name + ".gz"))
                .map(body -> FileMirror.md5(body == null ? new byte[0] : body)).toList();
        return new DatasetResolver(dataDir, dir.resolve("cache"), dir.resolve("system"), allowSynthetic, 200,
                new CifarDownloader(cifar, CifarDownloader.DEFAULT_MD5, p -> { }),
                dataset -> new IdxDownloader(dataset, idx, md5s, (file, p) -> { }), warnings::add);
    }

    /** A complete IDX folder of {@code train} training images, so that each place is told by its size. */
    private static void idxCopy(Path folder, int train) {
        IdxWriter.directory(folder, IdxWriter.images(train, train), IdxWriter.images(3, 0), true);
    }

    @Test
    void idxDataComesFromDataDirThenCacheThenSystemFolderThenDownload() throws IOException {
        idxCopy(dir.resolve("copy"), 5);
        idxCopy(dir.resolve("cache/fashion-mnist"), 6);
        idxCopy(dir.resolve("system/fashion-mnist"), 7);
        Path mirrorFiles = dir.resolve("mirror");
        idxCopy(mirrorFiles, 8);
        for (String name : IdxDirectory.FILES) {
            mirror.put("/idx/" + name + ".gz", Files.readAllBytes(mirrorFiles.resolve(name + ".gz")));
        }

        assertEquals(5, idxResolver(dir.resolve("copy"), false).resolve("fashion-mnist", 1).train().size());
        assertEquals(6, idxResolver(null, false).resolve("fashion-mnist", 1).train().size());
        deleteFolder(dir.resolve("cache/fashion-mnist"));
        Dataset system = idxResolver(null, false).resolve("fashion-mnist", 1);
        assertEquals(7, system.train().size());
        assertEquals("Fashion-MNIST (28x28 gray, padded to 32x32x3), 7 train / 3 test images, from "
                + dir.resolve("system/fashion-mnist"), system.describe());
        deleteFolder(dir.resolve("system/fashion-mnist"));
        Dataset downloaded = idxResolver(null, false).resolve("fashion-mnist", 1);
        assertEquals(8, downloaded.train().size());
        assertEquals(dir.resolve("cache/fashion-mnist").toString(), downloaded.origin());
        assertFalse(downloaded.synthetic());
        assertEquals("fashion-mnist", downloaded.name());
        assertEquals("Fashion-MNIST", downloaded.label());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void anIncompleteDataDirIsAnErrorEvenWithACompleteCache() throws Exception {
        idxCopy(dir.resolve("cache/mnist"), 6);
        Files.createDirectories(dir.resolve("nothing-here"));

        DataException e = assertThrows(DataException.class,
                () -> idxResolver(dir.resolve("nothing-here"), true).resolve("mnist", 1));

        assertTrue(e.getMessage().contains("missing or empty train-images-idx3-ubyte"), e.getMessage());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void aDataDirThatDoesNotExistIsNamedAsSuch() {
        DataException e = assertThrows(DataException.class,
                () -> idxResolver(dir.resolve("typo"), true).resolve("mnist", 1));

        assertTrue(e.getMessage().startsWith("--data-dir " + dir.resolve("typo") + " does not exist"), e.getMessage());
        assertTrue(warnings.isEmpty(), "no fallback to synthetic data for a mistyped folder");
    }

    @Test
    void missingFashionMnistSaysHowToInstallItOrDoWithout() {
        DataException e = assertThrows(DataException.class, () -> idxResolver(null, false).resolve("fashion-mnist", 1));

        assertTrue(e.getMessage().startsWith("Fashion-MNIST is neither in "
                + dir.resolve("cache/fashion-mnist") + " nor in " + dir.resolve("system/fashion-mnist")), e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertTrue(e.getMessage().contains("`apt-get install dataset-fashion-mnist`"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
        assertTrue(e.getMessage().contains("--dataset synthetic"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-synthetic"), e.getMessage());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void aCorruptSystemCopyIsNamedNotSkipped() throws IOException {
        Path system = dir.resolve("system/fashion-mnist");
        idxCopy(system, 6);
        Path labels = system.resolve(IdxDirectory.TEST_LABELS + ".gz");
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1});

        DataException e = assertThrows(DataException.class, () -> idxResolver(null, false).resolve("fashion-mnist", 1));

        assertTrue(e.getMessage().startsWith(labels + " is truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir") && e.getMessage().contains("--dataset synthetic"),
                e.getMessage());
    }

    @Test
    void missingMnistOffersNoPackageThatDebianLacks() {
        DataException e = assertThrows(DataException.class, () -> idxResolver(null, false).resolve("mnist", 1));

        assertFalse(e.getMessage().contains("apt-get"), e.getMessage());
        assertTrue(e.getMessage().contains("its four IDX files can be copied into " + dir.resolve("system/mnist")),
                e.getMessage());
        assertTrue(e.getMessage().contains("--dataset synthetic"), e.getMessage());
    }

    @Test
    void fallbackWarningNamesTheDataSetThatWasMissing() {
        Dataset data = idxResolver(null, true).resolve("fashion-mnist", 1);

        assertTrue(data.synthetic());
        assertEquals("synthetic", data.name());
        assertEquals(KnownDataset.FASHION_MNIST, data.requested());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Fashion-MNIST could not be had")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("SYNTHETIC") && w.contains("NOT Fashion-MNIST")),
                warnings.toString());
        assertTrue(data.describe().startsWith("SYNTHETIC data (not Fashion-MNIST)"), data.describe());
        assertEquals("SYNTHETIC data (not Fashion-MNIST)", data.label());
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        DataException e = assertThrows(DataException.class, () -> resolver(null, true).resolve("imagenet", 1));

        assertTrue(e.getMessage().contains("use one of cifar10, fashion-mnist, mnist, synthetic"), e.getMessage());
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }

    @Test
    void readsAnExistingCopy() {
        CifarDirectory.write(dir.resolve("copy"), SyntheticCifar.generate(50, 1), SyntheticCifar.generate(10, 2));
        Dataset data = resolver(dir.resolve("copy"), false).resolve("cifar10", 1);
        assertFalse(data.synthetic());
        assertEquals(50, data.train().size());
        assertEquals(10, data.test().size());
        assertTrue(data.describe().startsWith("CIFAR-10"));
    }

    @Test
    void refusesToInventDataUnlessAllowed() {
        DataException e = assertThrows(DataException.class, () -> resolver(null, false).resolve("cifar10", 1));
        assertTrue(e.getMessage().contains("--allow-synthetic"), e.getMessage());
        assertTrue(e.getMessage().contains("--dataset synthetic"), e.getMessage());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void fallsBackLoudlyWhenAllowed() {
        Dataset data = resolver(null, true).resolve("cifar10", 1);
        assertTrue(data.synthetic());
        assertEquals(200, data.train().size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("SYNTHETIC") && w.contains("NOT CIFAR-10")), warnings.toString());
        assertTrue(data.describe().startsWith("SYNTHETIC data (not CIFAR-10)"));
    }

    @Test
    void generatesSyntheticDataWhenAskedWithoutTryingTheNetwork() {
        mirror.close();
        Dataset data = resolver(null, false).resolve("synthetic", 3);
        assertTrue(data.synthetic());
        assertEquals(40, data.test().size());
        assertTrue(data.describe().startsWith("SYNTHETIC data (CIFAR-format, not a real data set)"), data.describe());
        assertEquals("SYNTHETIC data", data.label());
        assertTrue(warnings.isEmpty());
    }
}
