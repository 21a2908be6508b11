package dev.ravine.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary checkpoint files, written atomically ({@link AtomicFile}): a crash leaves either the old checkpoint or the
 * new one, never half of one. Layout: magic "RAVINECK", version, then the record's fields; big-endian.
 */
public final class CheckpointFile {
    private static final long MAGIC = 0x524156494E45434BL; // "RAVINECK"
    private static final int VERSION = 1;

    private CheckpointFile() {}

    public static void write(Path target, Checkpoint c) throws IOException {
        AtomicFile.write(target, out -> {
            DataOutputStream data = new DataOutputStream(out);
            writeBody(data, c);
            data.flush();
        });
    }

    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) throw new CheckpointException("checkpoint " + file + " does not exist");
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            long magic = in.readLong();
            if (magic != MAGIC) throw new CheckpointException(file + " is not a Ravine checkpoint (bad magic number)");
            int version = in.readInt();
            if (version != VERSION) throw new CheckpointException(file + " has checkpoint format " + version + "; this Ravine reads format " + VERSION);
            return readBody(in);
        } catch (EOFException e) {
            throw new CheckpointException(file + " is truncated: the file ended inside the checkpoint", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
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

    private static Checkpoint readBody(DataInputStream in) throws IOException {
        long step = in.readLong();
        int epoch = in.readInt();
        int batch = in.readInt();
        Map<String, float[]> params = readArrays(in), buffers = readArrays(in), opt = readArrays(in);
        int nCounters = in.readInt();
        Map<String, long[]> counters = new LinkedHashMap<>();
        for (int i = 0; i < nCounters; i++) counters.put(in.readUTF(), readLongs(in));
        long[] rng = readLongs(in);
        double lrScale = in.readDouble();
        double[] acc = new double[in.readInt()];
        for (int i = 0; i < acc.length; i++) acc[i] = in.readDouble();
        if (in.readLong() != MAGIC) throw new CheckpointException("checkpoint is corrupt: the trailer is missing");
        return new Checkpoint(step, epoch, batch, params, buffers, opt, counters, rng, lrScale, acc);
    }

    private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (var e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            float[] a = e.getValue();
            out.writeInt(a.length);
            for (float f : a) out.writeInt(Float.floatToRawIntBits(f));
        }
    }

    private static Map<String, float[]> readArrays(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new CheckpointException("checkpoint is corrupt: negative array count");
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int len = in.readInt();
            if (len < 0) throw new CheckpointException("checkpoint is corrupt: array '" + name + "' has negative length");
            float[] a = new float[len];
            for (int j = 0; j < len; j++) a[j] = Float.intBitsToFloat(in.readInt());
            out.put(name, a);
        }
        return out;
    }

    private static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long l : a) out.writeLong(l);
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new CheckpointException("checkpoint is corrupt: negative length");
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = in.readLong();
        return a;
    }
}
