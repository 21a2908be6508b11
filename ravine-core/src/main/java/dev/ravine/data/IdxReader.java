package dev.ravine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads image classification sets in the IDX format of MNIST and Fashion-MNIST: an images file (magic 0x00000803:
 * unsigned bytes, dimensions count, rows, cols) and a labels file (magic 0x00000801: unsigned bytes, dimension
 * count), each raw or gzipped. Whether a file is gzipped is decided by its first two bytes, not by its name, because
 * downloads are often decompressed by a browser or server while keeping the {@code .gz} name, or the reverse.
 *
 * <p>Pixels are returned as floats 0..255 as they are in the file; scaling them is {@link Normalizer}'s job, so that
 * the transform is fitted, saved and replayed at inference in one place.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {}

    /**
     * Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]}, e.g. prefix
     * {@code data/mnist-10k/train}. Samples have shape {@code [1, rows, cols]} (one grey channel) and numClasses is
     * the largest label plus one.
     */
    public static Dataset read(Path prefix) {
        return read(findFile(prefix, "images", "idx3"), findFile(prefix, "labels", "idx1"));
    }

    /** Reads an images file and its labels file, given by their full paths. */
    public static Dataset read(Path imagesFile, Path labelsFile) {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new DataFormatException("labels file " + labelsFile + " holds " + labels.length + " labels but images "
                    + "file " + imagesFile + " holds " + images.count() + " images; both files must come from the same "
                    + "split (e.g. both train or both t10k) of the same data set");
        }
        return Dataset.classification(images.pixels(), new int[] {1, images.rows(), images.cols()}, labels,
                maxPlusOne(labels));
    }

    private static int maxPlusOne(int[] labels) {
        int max = 0;
        for (int label : labels) max = Math.max(max, label);
        return max + 1;
    }

    /** The file names tried for one part of a split, in order: the usual gzipped and raw names, and the dotted one. */
    static List<Path> candidates(Path prefix, String part, String idx) {
        String base = prefix.getFileName() == null ? "" : prefix.getFileName().toString();
        Path dir = prefix.toAbsolutePath().getParent();
        List<Path> names = new ArrayList<>();
        for (String name : List.of(base + "-" + part + "-" + idx + "-ubyte.gz", base + "-" + part + "-" + idx + "-ubyte",
                base + "-" + part + "." + idx + "-ubyte")) {
            names.add(dir == null ? Path.of(name) : dir.resolve(name));
        }
        return names;
    }

    private static Path findFile(Path prefix, String part, String idx) {
        List<Path> tried = candidates(prefix, part, idx);
        for (Path p : tried) {
            if (Files.isRegularFile(p)) return p;
        }
        List<String> names = tried.stream().map(p -> p.getFileName().toString()).toList();
        throw new DataFormatException("no " + part + " file for '" + prefix + "': tried " + String.join(", ", names)
                + " in " + tried.getFirst().getParent() + "; check the path and prefix (e.g. data/mnist-10k/train), "
                + "and download the data set there if it is missing");
    }

    private record Images(int count, int rows, int cols, float[] pixels) {}

    private static Images readImages(Path file) {
        try (InputStream in = open(file)) {
            int[] dims = readHeader(in, file, IMAGES_MAGIC, "images");
            byte[] bytes = readData(in, file, dims);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) pixels[i] = bytes[i] & 0xFF;
            return new Images(dims[0], dims[1], dims[2], pixels);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int[] dims = readHeader(in, file, LABELS_MAGIC, "labels");
            byte[] bytes = readData(in, file, dims);
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) labels[i] = bytes[i] & 0xFF;
            return labels;
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /** Opens the file, through a gzip decoder when it starts with the gzip magic bytes 1f 8b. */
    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("IDX file " + file + " does not exist; check the path");
        }
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new GZIPInputStream(in, BUFFER) : in;
    }

    /** Reads and checks the magic number, then the dimension sizes it announces. */
    private static int[] readHeader(InputStream in, Path file, int expectedMagic, String kind) throws IOException {
        int magic = readInt(in, file, "the magic number");
        if (magic != expectedMagic) throw badMagic(file, expectedMagic, magic, kind);
        int[] dims = new int[expectedMagic & 0xFF];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = readInt(in, file, "dimension " + d + " of the header");
            if (dims[d] < 0) {
                throw new DataFormatException("IDX file " + file + ": dimension " + d + " is " + dims[d]
                        + ", which is negative; the header is corrupt, download the file again");
            }
        }
        return dims;
    }

    private static DataFormatException badMagic(Path file, int expected, int found, String kind) {
        boolean idxLike = (found >>> 16) == 0;
        int type = (found >>> 8) & 0xFF;
        if (idxLike && type != UNSIGNED_BYTE && (found & 0xFF) == (expected & 0xFF)) {
            return new DataFormatException("IDX file " + file + " has element type 0x" + hex2(type) + " ("
                    + typeName(type) + "); only 0x08 (unsigned byte) is supported, as used by MNIST and Fashion-MNIST; "
                    + "convert the file to unsigned bytes");
        }
        String hint = found == IMAGES_MAGIC ? " (that is an images file: are the images and labels paths swapped?)"
                : found == LABELS_MAGIC ? " (that is a labels file: are the images and labels paths swapped?)"
                : "; it is not an IDX " + kind + " file, or it is damaged: download it again";
        return new DataFormatException("IDX file " + file + ": bad magic number, expected " + hex8(expected) + " ("
                + kind + ", unsigned bytes, " + (expected & 0xFF) + " dimensions) but found " + hex8(found) + hint);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }

    private static byte[] readData(InputStream in, Path file, int[] dims) throws IOException {
        long expected = 1;
        for (int d : dims) expected *= d;
        if (expected > Integer.MAX_VALUE - 16) {
            throw new DataFormatException("IDX file " + file + " announces " + expected + " bytes of data, more than a "
                    + "Java array holds; split the file");
        }
        byte[] data = readFully(in, (int) expected);
        if (data.length < expected) {
            throw new DataFormatException("IDX file " + file + " is truncated: expected " + expected + " bytes of data "
                    + "(dimensions " + Arrays.toString(dims) + "), found " + data.length
                    + "; download the file again");
        }
        return data;
    }

    /** Reads up to {@code n} bytes; a gzip stream that ends early counts as the data found so far being short. */
    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] data = new byte[n];
        int read = 0;
        try {
            while (read < n) {
                int r = in.read(data, read, n - read);
                if (r < 0) break;
                read += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream reports a cut-off compressed stream this way; what was decoded is still counted.
        }
        return read == n ? data : Arrays.copyOf(data, read);
    }

    private static int readInt(InputStream in, Path file, String what) throws IOException {
        byte[] b = readFully(in, 4);
        if (b.length < 4) {
            throw new DataFormatException("IDX file " + file + " is truncated: it ends before " + what + " (found "
                    + b.length + " of 4 bytes); download the file again");
        }
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static RuntimeException ioFailure(Path file, IOException e) {
        if (e instanceof ZipException) {
            return new DataFormatException("IDX file " + file + " starts like a gzip file but is not valid gzip ("
                    + e.getMessage() + "); download the file again", e);
        }
        return new UncheckedIOException("cannot read IDX file " + file + ": " + e.getMessage(), e);
    }

    private static String hex8(int v) {
        return String.format("0x%08X", v);
    }

    private static String hex2(int v) {
        return String.format("%02X", v);
    }
}
