package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models too large for the heap are refused from their shapes before anything is allocated, with the estimate and
 * the -Xmx needed (the test JVM runs with -Xmx4g); running out of heap or stack anyway is exit 2 with a message.
 */
class ResourceLimitsTest {
    @TempDir
    static Path dir;

    private static final String BASE = """
            seed: 1
            data: {train: idx:train, normalize: scale01}
            model:
              layers: LAYERS
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1}
            training: {epochs: 1, batch_size: BATCH}
            """;

    @BeforeAll
    static void data() throws IOException {
        TestData.writeSubset(dir, "train", "train", 60);
    }

    private static CommandResult train(String layers, int batch, String name) throws IOException {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, BASE.replace("LAYERS", layers).replace("BATCH", Integer.toString(batch)));
        return CommandResult.run("train", config.toString(), "--out", dir.resolve(name).toString());
    }

    private static void assertRefused(CommandResult r, String name, String... parts) {
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        for (String part : parts) assertTrue(r.err().contains(part), "stderr lacks '" + part + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(dir.resolve(name)), "no run folder");
    }

    @Test
    void aHugeLinearLayerIsRefusedBeforeItsWeightsAreAllocated() throws IOException {
        long used = usedHeap();
        CommandResult r = train("[flatten, {linear: {out: 2000000}}, {linear: {out: 10}}]", 10, "wide");
        // 784 * 2,000,000 weights + 2,000,000 biases, 16 bytes each with their gradient and optimizer state
        assertRefused(r, "wide", "the model (1570000000 parameters up to model.layers[1] (linear)", "needs about 23.4 GB",
                "RAVINE_JAVA_OPTS=-Xmx");
        assertTrue(usedHeap() - used < 512L << 20, "nothing large was allocated");
    }

    @Test
    void activationsAtTheBatchSizeAreEstimatedToo() throws IOException {
        // 8000 channels of 28x28 per sample through conv, relu and flatten, three copies each, at the batch size of 60
        // (the data set's size, below the configured 1000): about 12.6 GB
        CommandResult r = train("[{conv2d: {out: 8000, kernel: 3, padding: 1}}, relu, flatten, {linear: {out: 1}}]", 1000, "batch");
        assertRefused(r, "batch", "training at batch_size 60", "needs about 12.6 GB");
    }

    @Test
    void exhaustionMessagesNameTheLimitAndTheFix() {
        assertTrue(ResourceExhaustion.explain(new OutOfMemoryError("Java heap space")).contains("RAVINE_JAVA_OPTS=-Xmx"));
        assertTrue(ResourceExhaustion.explain(new StackOverflowError()).contains("-Xss"));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
