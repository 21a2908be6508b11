package dev.ravine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version ({@code cifar-10-batches-bin}): each batch file is a run of 3,073-byte records,
 * one label byte (0..9) then a 32x32 image as 1,024 red, 1,024 green and 1,024 blue bytes, rows top to bottom.
 * Samples have shape {@code [3, 32, 32]} with values 0..255 (scaling is {@link Normalizer}'s job) and there are
 * always 10 classes, in the order of the set's {@code batches.meta.txt}.
 */
public final class CifarReader {
    public static final int CLASSES = 10;
    private static final int SIDE = 32;
    private static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    private static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private CifarReader() {}

    /**
     * Reads {@code path}: a batch file (e.g. {@code test_batch.bin}), or a folder, whose training batches
     * {@code data_batch_1.bin .. data_batch_5.bin} are read in order (those present, at least one).
     */
    public static Dataset read(Path path) {
        if (Files.isRegularFile(path)) return read(List.of(path));
        if (!Files.isDirectory(path)) {
            throw new DataFormatException("CIFAR-10 path " + path + " does not exist; give the cifar-10-batches-bin folder "
                    + "(its data_batch_*.bin are read) or one batch file, e.g. cifar:cifar-10-batches-bin/test_batch.bin");
        }
        List<Path> batches = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path batch = path.resolve("data_batch_" + i + ".bin");
            if (Files.isRegularFile(batch)) batches.add(batch);
        }
        if (batches.isEmpty()) {
            throw new DataFormatException("CIFAR-10 folder " + path + " has no data_batch_1.bin .. data_batch_5.bin; is it "
                    + "the binary version (cifar-10-batches-bin, not the python one)? For the test set name the file: "
                    + "cifar:" + path.resolve("test_batch.bin"));
        }
        return read(batches);
    }

    /** Reads the batch files in order into one data set. */
    public static Dataset read(List<Path> batchFiles) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : batchFiles) {
            byte[] bytes = readBytes(file);
            if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
                throw new DataFormatException("CIFAR-10 batch " + file + " holds " + bytes.length + " bytes, not a whole "
                        + "number of " + RECORD_BYTES + "-byte records (1 label byte + 3x32x32 pixels); it is truncated or "
                        + "not a CIFAR-10 binary batch (CIFAR-100 records are 3,074 bytes): download it again");
            }
            contents.add(bytes);
            records += bytes.length / RECORD_BYTES;
        }
        int n = Math.toIntExact(records);
        float[] pixels = new float[Math.multiplyExact(n, IMAGE_BYTES)];
        int[] labels = new int[n];
        int sample = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int r = 0; r < bytes.length / RECORD_BYTES; r++, sample++) {
                int at = r * RECORD_BYTES;
                labels[sample] = bytes[at] & 0xFF;
                if (labels[sample] >= CLASSES) {
                    throw new DataFormatException("CIFAR-10 batch " + batchFiles.get(f) + ", record " + r + ": label "
                            + labels[sample] + " is not a class 0..9; the file is damaged or not CIFAR-10: download it again");
                }
                for (int k = 0; k < IMAGE_BYTES; k++) pixels[sample * IMAGE_BYTES + k] = bytes[at + 1 + k] & 0xFF;
            }
        }
        return Dataset.classification(pixels, new int[] {3, SIDE, SIDE}, labels, CLASSES);
    }

    private static byte[] readBytes(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFormatException("CIFAR-10 batch " + file + " does not exist; check the path");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CIFAR-10 batch " + file + ": " + e.getMessage(), e);
        }
    }
}
