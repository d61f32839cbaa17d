package io.flhetero.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Fetches the four official {@code .gz} files of MNIST or Fashion-MNIST into {@code cacheDir/mnist} or
 * {@code cacheDir/fashion-mnist} once. They are assembled in a staging folder, each MD5-checked, and the folder is
 * renamed into place only when all four are there, so an interrupted run never leaves a half-usable data set
 * behind. Locations and checksums are torchvision's.
 */
public final class IdxDownloader {

    public static final URI FASHION_MNIST_URL = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    /** The MD5 of each file, in the order of {@link IdxDirectory#FILES}. */
    public static final List<String> FASHION_MNIST_MD5 = List.of("8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310");
    public static final URI MNIST_URL = URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/");
    public static final List<String> MNIST_MD5 = List.of("f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "d53e105ee54ea40749a09fcbcd1e9432", "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c");

    private final KnownDataset dataset;
    private final URI base;
    private final List<String> md5s;
    private final BiConsumer<String, HttpDownload.Progress> progress;

    /**
     * @param base     the folder URL the four files are in; it ends with a slash
     * @param md5s     the MD5 of each {@code .gz} file, in the order of {@link IdxDirectory#FILES}
     * @param progress told the name of the file being fetched and how far it got
     */
    public IdxDownloader(KnownDataset dataset, URI base, List<String> md5s,
                         BiConsumer<String, HttpDownload.Progress> progress) {
        if (dataset.kind() != KnownDataset.Kind.IDX) {
            throw new IllegalArgumentException(dataset.displayName() + " is not an IDX data set");
        }
        if (md5s.size() != IdxDirectory.FILES.size()) {
            throw new IllegalArgumentException("need " + IdxDirectory.FILES.size() + " MD5s, got " + md5s.size());
        }
        this.dataset = dataset;
        this.base = base;
        this.md5s = md5s.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        this.progress = progress;
    }

    /** Downloads from the data set's official location. */
    public IdxDownloader(KnownDataset dataset, BiConsumer<String, HttpDownload.Progress> progress) {
        this(dataset, dataset == KnownDataset.MNIST ? MNIST_URL : FASHION_MNIST_URL,
                dataset == KnownDataset.MNIST ? MNIST_MD5 : FASHION_MNIST_MD5, progress);
    }

    /**
     * Returns the data set's folder under {@code cacheDir}, downloading it first unless its four files are there.
     *
     * @throws DataException when a download fails or a checksum does not match; nothing is left behind then
     */
    public Path ensure(Path cacheDir) {
        Path target = cacheDir.resolve(dataset.profileName());
        Optional<IdxDirectory> existing = IdxDirectory.find(target);
        if (existing.isPresent()) {
            return existing.get().path();
        }
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new DataException("Could not create the data cache folder " + cacheDir + " (" + e
                    + "); pass --data-dir with a writable folder", e);
        }
        try (StagingFolder staging = StagingFolder.in(cacheDir, dataset.profileName() + "-download-")) {
            for (int i = 0; i < IdxDirectory.FILES.size(); i++) {
                download(IdxDirectory.FILES.get(i) + IdxDirectory.GZIP_SUFFIX, md5s.get(i), staging.path());
            }
            staging.publish(staging.path(), target);
            return target;
        } catch (IOException e) {
            throw new DataException("The " + dataset.displayName() + " files downloaded from " + base
                    + " could not be moved into " + target + " (" + e.getMessage() + "); check free disk space and"
                    + " permissions, or pass --data-dir with " + IdxDirectory.LAYOUT, e);
        }
    }

    private void download(String name, String expectedMd5, Path folder) {
        URI url = base.resolve(name);
        String actualMd5;
        try {
            actualMd5 = HttpDownload.fetch(url, folder.resolve(name), p -> progress.accept(name, p));
        } catch (IOException e) {
            throw downloadFailed(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw downloadFailed(url, e);
        }
        if (!expectedMd5.equals(actualMd5)) {
            throw new DataException(dataset.displayName() + " download from " + url + " is corrupt: expected MD5 "
                    + expectedMd5 + " but got " + actualMd5 + "; nothing was kept, so run again to retry, pass"
                    + " --data-dir with " + IdxDirectory.LAYOUT + ", or use --dataset synthetic to run without it");
        }
    }

    private DataException downloadFailed(URI url, Exception cause) {
        return new DataException(dataset.displayName() + " could not be downloaded from " + url + " (" + cause
                + "); pass --data-dir with " + IdxDirectory.LAYOUT + ", or use --dataset synthetic to run without it",
                cause);
    }
}
