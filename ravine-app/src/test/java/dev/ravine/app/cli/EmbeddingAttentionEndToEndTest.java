package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/embedding-attention.yaml, shrunk (fewer and shorter sequences, 3 epochs): the sequence generator, embedding,
 * attention and transformer layers train from a config well above chance; and the config errors of the new layers.
 */
class EmbeddingAttentionEndToEndTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            seed: 1
            data:
              train: sequence:vocab=8,length=6,samples=1200,seed=1
              test: sequence:vocab=8,length=6,samples=300,seed=2
            model:
              layers:
                - embedding: {num_embeddings: 8, dim: 16}
                - attention: {heads: 2}
                - transformer: {heads: 2, ff: 32, dropout: 0.0}
                - flatten
                - linear: {out: 8}
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.003}
            training: {epochs: 3, batch_size: 32}
            """;

    @Test
    void theSequenceTaskTrainsFarAboveChance() throws Exception {
        Path config = dir.resolve("ea.yaml");
        Files.writeString(config, CONFIG);
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        double accuracy = summary.get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.6, "test accuracy " + accuracy + " (chance 0.125)\n" + train);
        String resolved = Files.readString(run.resolve("config.yaml"));
        assertTrue(resolved.contains("- transformer: {heads: 2, ff: 32, dropout: 0.0, causal: false}"), resolved);
    }

    @Test
    void badLayerOptionsNameTheLayerAndLine() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, CONFIG.replace("attention: {heads: 2}", "attention: {heads: 3}"));
        CommandResult r = CommandResult.run("train", config.toString(), "--out", dir.resolve("r1").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("model.layers[1] (attention): heads 3 must divide the feature size 16"), r.err());
        Files.writeString(config, CONFIG.replace("seed=2\n", "seed=2\n  normalize: standardize\n"));
        r = CommandResult.run("train", config.toString(), "--out", dir.resolve("r2").toString());
        assertTrue(r.err().contains("data.normalize: the model has an embedding layer"), r.err());
        Files.writeString(config, CONFIG.replace("num_embeddings: 8", "num_embeddings: 5"));
        r = CommandResult.run("train", config.toString(), "--out", dir.resolve("r3").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("is not a token index in [0, 5)"), r.toString());
        Files.writeString(config, CONFIG.replace("seed=1", "seed=1,vocab_size=3"));
        r = CommandResult.run("train", config.toString(), "--out", dir.resolve("r4").toString());
        assertTrue(r.err().contains("unknown key 'vocab_size'; valid: vocab, length, samples, seed"), r.err());
    }
}
