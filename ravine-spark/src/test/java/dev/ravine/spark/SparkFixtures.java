package dev.ravine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.app.cli.Main;
import dev.ravine.io.CheckpointFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** The tests' small data set and config, the CLI run in-process, and the weights of a checkpoint. */
final class SparkFixtures {
    private SparkFixtures() {}

    /** Three Gaussian blobs in 5 dimensions, labelled 0..2. */
    static void writeBlobs(Path file, int rows, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("a,b,c,d,e,label\n");
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            for (int d = 0; d < 5; d++) csv.append(String.format(Locale.ROOT, "%.4f,", 2.0 * ((label + d) % 3) + r.nextGaussian()));
            csv.append(label).append('\n');
        }
        Files.writeString(file, csv);
    }

    /** A 5-32-3 tanh net, Adam, 20 batches of 25 per epoch (no validation split: 500 rows), checkpoints every step. */
    static Path blobsConfig(Path dir, String extraLayers, int epochs) throws Exception {
        writeBlobs(dir.resolve("train.csv"), 500, 11);
        Path config = dir.resolve("blobs.yaml");
        Files.writeString(config, """
                seed: 4
                data:
                  train: csv:train.csv
                  label: label
                model:
                  layers:
                    - linear: {out: 32}
                %s    - tanh
                    - linear: {out: 3}
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.01}
                training: {epochs: %d, batch_size: 25, threads: 1, checkpoint_every: 10, keep_checkpoints: 20}
                """.formatted(extraLayers, epochs));
        return config;
    }

    /** Runs the ravine command in this JVM: {exit code, output}. */
    static Object[] ravine(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, o);
        }
        return new Object[] {code, out.toString(StandardCharsets.UTF_8)};
    }

    static String ravineOk(String... args) {
        Object[] r = ravine(args);
        assertEquals(0, (int) r[0], (String) r[1]);
        return (String) r[1];
    }

    static Map<String, float[]> weights(Path run, long step) {
        return CheckpointFile.read(run.resolve("checkpoints").resolve(String.format("step-%09d.ckpt", step))).parameters();
    }

    static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        double max = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k), y = b.get(k);
            assertEquals(x.length, y.length, k);
            for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }
}
