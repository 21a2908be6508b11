package dev.ravine.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, raw or gzipped, with headers that may be deliberately wrong. */
final class IdxTestFiles {
    private IdxTestFiles() {}

    /** The bytes of an IDX file: magic, dimensions, then data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes); // big-endian, as IDX wants
            out.writeInt(magic);
            for (int d : dims) out.writeInt(d);
            out.write(data);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Images with pixel value (i * 7 + p) mod 256 for image i, pixel p, so every image is different. */
    static byte[] images(int count, int rows, int cols) {
        byte[] data = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) data[i * rows * cols + p] = (byte) ((i * 7 + p) % 256);
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, data);
    }

    static byte[] labels(int... labels) {
        byte[] data = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) data[i] = (byte) labels[i];
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, data);
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }
}
