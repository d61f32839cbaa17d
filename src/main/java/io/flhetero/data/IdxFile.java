package io.flhetero.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file of unsigned bytes, the format of MNIST and Fashion-MNIST: the magic bytes 0x00 0x00 0x08 and the
 * number of dimensions, each dimension as a big-endian int32, then the data in row-major order. The file may be
 * gzip-compressed; that is told by gzip's own magic bytes, not by the name, since copies get renamed.
 *
 * @param dims the size of each dimension, outermost first
 * @param data every value, row-major; {@code data.length} is the product of {@code dims}
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final String FIX = "replace it with an intact copy of the data set's file (plain or .gz),"
            + " or delete its folder to download it again";

    /**
     * Reads {@code file}, which must have {@code dimensions} dimensions.
     *
     * @throws DataException naming the file and what is wrong with it: not IDX, not unsigned bytes, the wrong
     *                       number of dimensions, truncated, or followed by trailing bytes
     */
    public static IdxFile read(Path file, int dimensions) {
        try (InputStream in = open(file)) {
            int[] dims = header(file, in, dimensions);
            long expected = 1;
            for (int i = 0; i < dims.length && expected <= Integer.MAX_VALUE; i++) {
                expected *= dims[i];
            }
            if (expected > Integer.MAX_VALUE) {
                throw new DataException(file + " declares dimensions " + Arrays.toString(dims)
                        + ", more values than one array can hold; " + FIX);
            }
            byte[] data = data(file, in, (int) expected);
            long trailing = in.transferTo(OutputStream.nullOutputStream());
            if (trailing > 0) {
                throw new DataException(file + " has " + trailing + " trailing bytes after the " + expected
                        + " data bytes its header " + Arrays.toString(dims) + " declares; " + FIX);
            }
            return new IdxFile(dims, data);
        } catch (EOFException e) {
            throw new DataException(file + " is truncated inside its IDX header (its gzip stream ends early); "
                    + FIX, e);
        } catch (IOException e) {
            throw new DataException("Could not read " + file + " (" + e + "); " + FIX, e);
        }
    }

    private static int[] header(Path file, InputStream in, int dimensions) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataException(file + " is " + (magic.length == 0 ? "empty" : "truncated: " + magic.length
                    + " bytes, shorter than an IDX header") + "; " + FIX);
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataException(file + " is not an IDX file: it starts with " + hex(magic[0]) + " " + hex(magic[1])
                    + " instead of 0x00 0x00; " + FIX);
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new DataException(file + " holds IDX values of type " + typeName(type) + " (" + hex(magic[2])
                    + "), but only unsigned bytes (0x08) are read, as MNIST and Fashion-MNIST have; " + FIX);
        }
        int count = magic[3] & 0xFF;
        if (count != dimensions) {
            throw new DataException(file + " has " + count + " dimensions where " + dimensions + " are expected ("
                    + (dimensions == 1 ? "labels [n]" : "images [n, rows, columns]") + "); is it the right file? "
                    + FIX);
        }
        int[] dims = new int[count];
        byte[] sizes = in.readNBytes(4 * count);
        if (sizes.length < 4 * count) {
            throw new DataException(file + " is truncated inside its header: " + (4 + sizes.length) + " of "
                    + (4 + 4 * count) + " bytes; " + FIX);
        }
        for (int i = 0; i < count; i++) {
            dims[i] = ((sizes[4 * i] & 0xFF) << 24) | ((sizes[4 * i + 1] & 0xFF) << 16)
                    | ((sizes[4 * i + 2] & 0xFF) << 8) | (sizes[4 * i + 3] & 0xFF);
            if (dims[i] <= 0) {
                throw new DataException(file + " declares dimension " + i + " as " + dims[i]
                        + "; every dimension must be at least 1; " + FIX);
            }
        }
        return dims;
    }

    /** The buffer grows as data arrives, so that a lying header cannot make a short file allocate gigabytes. */
    private static byte[] data(Path file, InputStream in, int expected) throws IOException {
        byte[] data = new byte[Math.min(expected, 1 << 20)];
        int found = 0;
        try {
            while (found < expected) {
                if (found == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(expected, 2L * data.length));
                }
                int read = in.read(data, found, data.length - found);
                if (read < 0) {
                    break;
                }
                found += read;
            }
        } catch (EOFException e) {
            // gzip's way of saying that the compressed stream was cut short.
            throw truncated(file, expected, found);
        }
        if (found != expected) {
            throw truncated(file, expected, found);
        }
        return data;
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static DataException truncated(Path file, int expected, int found) {
        return new DataException(file + " is truncated: its header declares " + expected + " data bytes but only "
                + found + " follow it; " + FIX);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }

    private static String hex(byte b) {
        return String.format(Locale.ROOT, "0x%02x", b & 0xFF);
    }
}
