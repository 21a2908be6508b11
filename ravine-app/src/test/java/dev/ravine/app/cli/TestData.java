package dev.ravine.app.cli;

import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small IDX data sets cut from the MNIST digits shipped in data/mnist-10k, and config files that use them. */
final class TestData {
    private TestData() {}

    /** The repository's data/mnist-10k folder, found from the test's working directory (the module folder). */
    static Path shippedMnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("data/mnist-10k");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("data/mnist-10k not found above " + Path.of("").toAbsolutePath());
    }

    /** Writes the first {@code count} samples of the shipped {@code split} as raw IDX files {@code dir/prefix-...}. */
    static Path writeSubset(Path dir, String split, String prefix, int count) throws IOException {
        Dataset d = IdxReader.read(shippedMnist().resolve(split));
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = i;
        Dataset sub = d.subset(rows);
        writeIdx(dir, prefix, sub.features(), sub.labels(), 28, 28);
        return dir.resolve(prefix);
    }

    static void writeIdx(Path dir, String prefix, float[] pixels, int[] labels, int rows, int cols) throws IOException {
        int count = pixels.length / (rows * cols);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(images)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (float p : pixels) out.writeByte((int) p);
        }
        ByteArrayOutputStream labelBytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(labelBytes)) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            for (int l : labels) out.writeByte(l);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labelBytes.toByteArray());
    }

    /** A small, fast MLP config on {@code train}/{@code test} prefixes in the same folder as the config. */
    static String mlpConfig(String optimizer, int epochs) {
        return """
                seed: 3
                data:
                  train: idx:train
                  test: idx:test
                  validation_split: 0.2
                  normalize: scale01
                model:
                  input: [1, 28, 28]
                  layers:
                    - flatten
                    - linear: {out: 32}
                    - relu
                    - linear: {out: 10}
                loss: cross_entropy
                optimizer: %s
                training: {epochs: %d, batch_size: 50, checkpoint_every: 4}
                """.formatted(optimizer, epochs);
    }
}
