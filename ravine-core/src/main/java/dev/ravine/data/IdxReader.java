package dev.ravine.data;

import dev.ravine.io.HeapBudget;
import dev.ravine.io.IoProblem;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
    private static final int CHUNK = 1 << 22;

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
        try (IdxStream in = open(file)) {
            int[] dims = readHeader(in, file, IMAGES_MAGIC, "images");
            String what = "IDX file " + file + " (" + dims[0] + " images of " + dims[1] + "x" + dims[2] + ", read as floats)";
            byte[] bytes = readBudgeted(in, file, dims, Float.BYTES, what);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) pixels[i] = bytes[i] & 0xFF;
            return new Images(dims[0], dims[1], dims[2], pixels);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static int[] readLabels(Path file) {
        try (IdxStream in = open(file)) {
            int[] dims = readHeader(in, file, LABELS_MAGIC, "labels");
            byte[] bytes = readBudgeted(in, file, dims, Integer.BYTES, "IDX file " + file + " (" + dims[0] + " labels)");
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) labels[i] = bytes[i] & 0xFF;
            return labels;
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /**
     * Reads the data after checking that it and the {@code elementBytes}-wide array it becomes fit in the heap. The
     * check comes first when the file confirms the header's size (a raw file by its size, a gzipped one by the length
     * in its trailer), so a real but huge data set is refused before it is read; a header the file does not confirm
     * is read first (in chunks, allocating only what is there), so a damaged one is reported as damaged.
     */
    private static byte[] readBudgeted(IdxStream in, Path file, int[] dims, int elementBytes, String what) throws IOException {
        long count = dataBytes(file, dims);
        long header = 4L + 4L * dims.length;
        if (!in.gzip() && in.fileSize() - header < count) throw truncated(file, dims, count, in.fileSize() - header);
        boolean confirmed = !in.gzip() || in.gzipLength() == ((header + count) & 0xFFFFFFFFL);
        if (confirmed) HeapBudget.require(count * (1 + elementBytes), what);
        byte[] bytes = readData(in, file, dims, count);
        if (!confirmed) HeapBudget.require((long) bytes.length * elementBytes, what);
        return bytes;
    }

    /**
     * An open IDX file: its bytes (decoded when gzipped), whether it is gzipped, and for a raw file its size, which
     * bounds what its header may announce.
     */
    private record IdxStream(InputStream in, boolean gzip, long fileSize, long gzipLength) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Opens the file, through a gzip decoder when it starts with the gzip magic bytes 1f 8b. */
    private static IdxStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("IDX file " + file + " does not exist; check the path");
        }
        long size = Files.size(file);
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new IdxStream(gzip ? new GZIPInputStream(in, BUFFER) : in, gzip, size, gzip ? gzipTrailerLength(file) : -1);
    }

    /**
     * The uncompressed length (mod 2^32) in the last 4 bytes of a gzip file, little-endian; for a file of several
     * gzip members it is the last member's only, which is why it only ever confirms a size, never refuses one.
     */
    private static long gzipTrailerLength(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.size() < 4) return -1;
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (tail.hasRemaining() && ch.read(tail, ch.size() - 4 + tail.position()) > 0) {
                // reads the 4 bytes, in more than one call only on unusual file systems
            }
            return tail.hasRemaining() ? -1 : tail.getInt(0) & 0xFFFFFFFFL;
        }
    }

    /** Reads and checks the magic number, then the dimension sizes it announces. */
    private static int[] readHeader(IdxStream in, Path file, int expectedMagic, String kind) throws IOException {
        int magic = readInt(in.in(), file, "the magic number");
        if (magic != expectedMagic) throw badMagic(file, expectedMagic, magic, kind);
        int[] dims = new int[expectedMagic & 0xFF];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = readInt(in.in(), file, "dimension " + d + " of the header");
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

    /** The data size the header announces; dimensions whose product a Java array cannot hold are refused here. */
    private static long dataBytes(Path file, int[] dims) {
        long expected = 1;
        for (int d : dims) {
            expected *= d; // at most (2^31)^k over the loop, but refused as soon as it passes the array limit
            if (expected > Integer.MAX_VALUE - 16) {
                throw new DataFormatException("IDX file " + file + " announces dimensions " + Arrays.toString(dims)
                        + ", more data than a Java array holds (over " + (Integer.MAX_VALUE - 16) + " bytes); the header "
                        + "is corrupt, or the file must be split");
            }
        }
        return expected;
    }

    /**
     * Reads the announced data and then the rest of the stream, which must be empty: for a gzipped file only reading
     * to the end makes the decoder check the gzip trailer (CRC-32 and length), so a damaged file cannot pass as
     * data. A gzipped file is read in chunks, so a header that lies allocates no more than the bytes really there.
     */
    private static byte[] readData(IdxStream in, Path file, int[] dims, long expected) throws IOException {
        byte[] data = in.gzip() ? readChunked(in.in(), (int) expected) : readFully(in.in(), (int) expected);
        if (data.length < expected) throw truncated(file, dims, expected, data.length);
        long extra = drain(in.in(), file);
        if (extra > 0) {
            throw new DataFormatException("IDX file " + file + " holds " + extra + " bytes more than the " + expected
                    + " its header announces (dimensions " + Arrays.toString(dims) + "); the header or the file is "
                    + "damaged, download the file again");
        }
        return data;
    }

    private static DataFormatException truncated(Path file, int[] dims, long expected, long found) {
        return new DataFormatException("IDX file " + file + " is truncated: expected " + expected + " bytes of data "
                + "(dimensions " + Arrays.toString(dims) + "), found " + found + "; download the file again");
    }

    /** Reads to the end of the stream, counting the bytes; a gzip stream cut before its trailer is truncated. */
    private static long drain(InputStream in, Path file) throws IOException {
        byte[] sink = new byte[BUFFER];
        long extra = 0;
        try {
            for (int r; (r = in.read(sink)) >= 0; ) extra += r;
        } catch (EOFException e) {
            throw new DataFormatException("IDX file " + file + " is truncated: its gzip stream ends before the gzip "
                    + "trailer (the checksum of its content); download the file again", e);
        }
        return extra;
    }

    /** Reads up to {@code n} bytes in chunks of at most 4 MB, so only bytes actually present are allocated. */
    private static byte[] readChunked(InputStream in, int n) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long read = 0;
        while (read < n) {
            int wanted = (int) Math.min(CHUNK, n - read);
            byte[] chunk = readFully(in, wanted);
            chunks.add(chunk);
            read += chunk.length;
            if (chunk.length < wanted) break;
        }
        if (chunks.size() == 1) return chunks.getFirst();
        byte[] data = new byte[(int) read];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, data, at, chunk.length);
            at += chunk.length;
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
        if (e instanceof ZipException && String.valueOf(e.getMessage()).contains("trailer")) {
            return new DataFormatException("IDX file " + file + " is damaged: its content does not match the checksum "
                    + "or length in its gzip trailer (" + e.getMessage() + "); download the file again", e);
        }
        if (e instanceof ZipException) {
            return new DataFormatException("IDX file " + file + " starts like a gzip file but is not valid gzip ("
                    + e.getMessage() + "); download the file again", e);
        }
        return new UncheckedIOException("cannot read IDX file " + file + ": " + IoProblem.describe(e), e);
    }

    private static String hex8(int v) {
        return String.format("0x%08X", v);
    }

    private static String hex2(int v) {
        return String.format("%02X", v);
    }
}
