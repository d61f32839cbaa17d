package io.flhetero.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts the regular files and folders of a gzip-compressed ustar archive. Links, devices and
 * extended headers are skipped: the CIFAR-10 archive holds only plain files, and skipping keeps a
 * tampered archive from planting links outside the target folder.
 */
final class TarGzExtractor {

    private static final int BLOCK = 512;

    private TarGzExtractor() {}

    /** Extracts {@code archive} below {@code targetDir}; entries that would land outside it are rejected. */
    static void extract(Path archive, Path targetDir) throws IOException {
        Path root = targetDir.toAbsolutePath().normalize();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header)) {
                    return; // Archives normally end with zero blocks, but a bare EOF is harmless too.
                }
                if (isZero(header)) {
                    return;
                }
                verifyChecksum(header, archive);
                String name = entryName(header);
                long size = entrySize(header, archive);
                char type = (char) header[156];
                if (type == '0' || type == '\0') {
                    Path file = safeTarget(root, name, archive);
                    Files.createDirectories(file.getParent());
                    try (OutputStream out = Files.newOutputStream(file)) {
                        copy(in, out, size);
                    }
                    skip(in, padding(size));
                } else {
                    if (type == '5') {
                        Files.createDirectories(safeTarget(root, name, archive));
                    }
                    skip(in, size + padding(size));
                }
            }
        }
    }

    private static Path safeTarget(Path root, String name, Path archive) throws IOException {
        Path target = root.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(root) || target.equals(root)) {
            throw new IOException(archive + " has entry '" + name + "' that points outside the extraction folder");
        }
        return target;
    }

    private static String entryName(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = field(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long entrySize(byte[] header, Path archive) throws IOException {
        if ((header[124] & 0x80) != 0) {
            // GNU base-256 encoding for sizes beyond the 8 GB an octal field can hold.
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (header[i] & 0xFF);
            }
            return size;
        }
        String octal = field(header, 124, 12).trim();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException(archive + " has a tar header with a bad size field '" + octal + "'");
        }
    }

    private static void verifyChecksum(byte[] header, Path archive) throws IOException {
        long expected;
        String octal = field(header, 148, 8).trim();
        try {
            expected = Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException(archive + " is not a tar archive (bad header checksum field '" + octal + "')");
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
        }
        if (sum != expected) {
            throw new IOException(archive + " is corrupt: tar header checksum " + sum + " != " + expected);
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("tar archive ends inside a header");
        }
        return true;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("tar archive ends inside a file");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static void skip(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive ends inside an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
