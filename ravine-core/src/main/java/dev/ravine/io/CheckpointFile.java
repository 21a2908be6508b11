package dev.ravine.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Binary checkpoint files, written atomically ({@link AtomicFile}): a crash leaves either the old checkpoint or the
 * new one, never half of one. Layout: magic "RAVINECK", version, then the record's fields, the magic again, and
 * (from version 2) the CRC-32C of every byte before it; big-endian. Reading checks every announced length against
 * the bytes left in the file before allocating, so a damaged length is an error rather than a huge allocation, and
 * then the checksum, so a flipped bit anywhere is found. Version 1 files (no checksum) are still read.
 */
public final class CheckpointFile {
    private static final long MAGIC = 0x524156494E45434BL; // "RAVINECK"
    private static final int VERSION = 2;
    private static final int UNCHECKED_VERSION = 1;
    private static final int BLOCK = 1 << 14;

    private CheckpointFile() {}

    public static void write(Path target, Checkpoint c) throws IOException {
        AtomicFile.write(target, out -> {
            CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
            DataOutputStream data = new DataOutputStream(checked);
            writeBody(data, c);
            data.flush();
            DataOutputStream trailer = new DataOutputStream(out);
            trailer.writeLong(checked.getChecksum().getValue());
            trailer.flush();
        });
    }

    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) throw new CheckpointException("checkpoint " + file + " does not exist");
        try (InputStream is = Files.newInputStream(file)) {
            Reader in = new Reader(new BufferedInputStream(is, 1 << 16), Files.size(file), file);
            if (in.data.readLong() != MAGIC) throw new CheckpointException(file + " is not a Ravine checkpoint (bad magic number)");
            int version = in.data.readInt();
            if (version != VERSION && version != UNCHECKED_VERSION) {
                throw new CheckpointException(file + " has checkpoint format " + version + "; this Ravine reads formats "
                        + UNCHECKED_VERSION + " and " + VERSION);
            }
            Checkpoint c = readBody(in);
            if (version == VERSION) in.verifyChecksum();
            return c;
        } catch (EOFException e) {
            throw new CheckpointException(file + " is truncated: the file ended inside the checkpoint", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + IoProblem.describe(e), e);
        }
    }

    private static void writeBody(DataOutputStream out, Checkpoint c) throws IOException {
        out.writeLong(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(c.step());
        out.writeInt(c.epoch());
        out.writeInt(c.batchInEpoch());
        writeArrays(out, c.parameters());
        writeArrays(out, c.buffers());
        writeArrays(out, c.optimizerArrays());
        out.writeInt(c.optimizerCounters().size());
        for (var e : c.optimizerCounters().entrySet()) {
            out.writeUTF(e.getKey());
            writeLongs(out, e.getValue());
        }
        writeLongs(out, c.rngState());
        out.writeDouble(c.lrScale());
        out.writeInt(c.epochAccumulators().length);
        for (double d : c.epochAccumulators()) out.writeDouble(d);
        out.writeLong(MAGIC); // trailer: a file cut at an array boundary is still detected
    }

    private static Checkpoint readBody(Reader in) throws IOException {
        long step = in.data.readLong();
        int epoch = in.data.readInt();
        int batch = in.data.readInt();
        Map<String, float[]> params = readArrays(in), buffers = readArrays(in), opt = readArrays(in);
        int nCounters = in.length("the optimizer counter list", 6);
        Map<String, long[]> counters = new LinkedHashMap<>();
        for (int i = 0; i < nCounters; i++) {
            String name = in.data.readUTF();
            counters.put(name, readLongs(in, "optimizer counter '" + name + "'"));
        }
        long[] rng = readLongs(in, "the random generator's state");
        double lrScale = in.data.readDouble();
        double[] acc = new double[in.length("the epoch sums", Double.BYTES)];
        for (int i = 0; i < acc.length; i++) acc[i] = in.data.readDouble();
        if (in.data.readLong() != MAGIC) throw new CheckpointException(in.file + " is corrupt: the trailer is missing");
        return new Checkpoint(step, epoch, batch, params, buffers, opt, counters, rng, lrScale, acc);
    }

    private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (var e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            float[] a = e.getValue();
            out.writeInt(a.length);
            writeFloats(out, a);
        }
    }

    private static Map<String, float[]> readArrays(Reader in) throws IOException {
        int n = in.length("an array list", 6); // each entry takes at least a name length and an array length
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.data.readUTF();
            float[] a = new float[in.length("array '" + name + "'", Float.BYTES)];
            readFloats(in.data, a);
            out.put(name, a);
        }
        return out;
    }

    /** Floats in blocks through one byte buffer: per-element writes would pass each 4 bytes through the checksum. */
    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(Float.BYTES * Math.min(a.length, BLOCK)); // big-endian
        for (int from = 0; from < a.length; from += BLOCK) {
            int n = Math.min(BLOCK, a.length - from);
            block.clear();
            block.asFloatBuffer().put(a, from, n);
            out.write(block.array(), 0, n * Float.BYTES);
        }
    }

    private static void readFloats(DataInputStream in, float[] a) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(Float.BYTES * Math.min(a.length, BLOCK));
        for (int from = 0; from < a.length; from += BLOCK) {
            int n = Math.min(BLOCK, a.length - from);
            in.readFully(block.array(), 0, n * Float.BYTES);
            block.clear();
            block.asFloatBuffer().get(a, from, n);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long l : a) out.writeLong(l);
    }

    private static long[] readLongs(Reader in, String what) throws IOException {
        long[] a = new long[in.length(what, Long.BYTES)];
        for (int i = 0; i < a.length; i++) a[i] = in.data.readLong();
        return a;
    }

    /** A checkpoint being read: its bytes counted and checksummed, and the file's size to check lengths against. */
    private static final class Reader {
        final DataInputStream data;
        final Path file;
        private final CheckedInputStream checked;
        private final CountingStream counted;
        private final long size;

        Reader(InputStream in, long size, Path file) {
            this.counted = new CountingStream(in);
            this.checked = new CheckedInputStream(counted, new CRC32C());
            this.data = new DataInputStream(checked);
            this.size = size;
            this.file = file;
        }

        /** Reads a count of elements of {@code elementBytes} bytes each, which must fit in the rest of the file. */
        int length(String what, int elementBytes) throws IOException {
            int n = data.readInt();
            if (n < 0) throw new CheckpointException(file + " is corrupt: " + what + " has negative length " + n);
            long left = size - counted.position();
            if ((long) n * elementBytes > left) {
                throw new CheckpointException(file + " is truncated or corrupt: " + what + " claims " + n + " elements ("
                        + (long) n * elementBytes + " bytes) but only " + left + " bytes are left in the file");
            }
            return n;
        }

        void verifyChecksum() throws IOException {
            long computed = checked.getChecksum().getValue();
            long stored = new DataInputStream(counted).readLong();
            if (stored != computed) {
                throw new CheckpointException(file + " is damaged: its content does not match its checksum (CRC-32C "
                        + Long.toHexString(stored) + " stored, " + Long.toHexString(computed) + " computed)");
            }
            if (counted.read() >= 0) throw new CheckpointException(file + " is corrupt: bytes follow its checksum");
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private long position;

        CountingStream(InputStream in) {
            super(in);
        }

        long position() {
            return position;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) position++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) position += r;
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            position += s;
            return s;
        }
    }
}
