package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run with pretrain: progress per RBM epoch, the pretrain table in run.db, then ordinary training; and its errors. */
class PretrainEndToEndTest {
    @TempDir
    static Path dir;

    private static final String CONFIG = """
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
                - linear: {out: 24}
                - sigmoid
                - linear: {out: 16}
                - sigmoid
                - linear: {out: 10}
            pretrain: {method: rbm, epochs: 3, lr: 0.1, batch_size: 20}
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
            training: {epochs: 1, batch_size: 50}
            """;

    @BeforeAll
    static void data() throws Exception {
        TestData.writeSubset(dir, "train", "train", 300);
        TestData.writeSubset(dir, "t10k", "test", 50);
    }

    private static CommandResult train(String yaml, String name) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        return CommandResult.run("train", config.toString(), "--out", dir.resolve(name).toString());
    }

    @Test
    void eachRbmEpochIsPrintedAndStoredBeforeFineTuning() throws Exception {
        CommandResult r = train(CONFIG, "pretrained");
        assertEquals(ExitCode.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("pretrain: 2 RBMs by CD-1, 3 epochs each, on 240 samples"), r::toString);
        assertTrue(r.out().contains("pretrain: rbm 1/2 (layer 1, 784x24 bernoulli) epoch 1/3: reconstruction error "), r::toString);
        assertTrue(r.out().contains("pretrain: rbm 2/2 (layer 3, 24x16 bernoulli) epoch 3/3: reconstruction error "), r::toString);
        assertTrue(r.out().indexOf("epoch 3/3") < r.out().indexOf("epoch 1/1"), "pre-training comes before training: " + r);

        List<double[]> rows = new ArrayList<>();
        List<String> layers = new ArrayList<>();
        Path db = dir.resolve("pretrained/run.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT layer, epoch, reconstruction_error, train_free_energy, "
                     + "held_out_free_energy FROM pretrain ORDER BY layer, epoch")) {
            while (rs.next()) {
                layers.add(rs.getString(1) + ":" + rs.getInt(2));
                rows.add(new double[] {rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)});
            }
        }
        assertEquals(List.of("1:1", "1:2", "1:3", "3:1", "3:2", "3:3"), layers);
        assertTrue(rows.get(2)[0] < rows.get(0)[0], "the first RBM's reconstruction error falls: " + rows.get(0)[0] + " -> " + rows.get(2)[0]);
        for (double[] row : rows) for (double x : row) assertTrue(Double.isFinite(x) && x != 0, "stored figures: " + x);
        String written = Files.readString(dir.resolve("pretrained/config.yaml"));
        assertTrue(written.contains("pretrain: {method: rbm, cd_k: 1, persistent: false, epochs: 3, lr: 0.1, momentum: 0.5, "
                + "weight_decay: 0.0, batch_size: 20, visible: bernoulli}"), written);
    }

    @Test
    void aModelWithoutLinearSigmoidBlocksIsAConfigError() throws Exception {
        CommandResult r = train(CONFIG.replace("sigmoid", "relu"), "relu");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("pretrain: method rbm pre-trains each linear layer followed by a sigmoid, but model.layers "
                + "has none (" + dir.resolve("relu.yaml") + " line 16); put a sigmoid after the hidden linear layers"), r::toString);
        assertFalse(Files.exists(dir.resolve("relu")), "no run folder for bad input");
    }

    @Test
    void aBlockWithoutBiasIsAConfigError() throws Exception {
        CommandResult r = train(CONFIG.replace("linear: {out: 16}", "linear: {out: 16, bias: false}"), "nobias");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("model.layers[3] (linear): pretrain copies the RBM's hidden biases into this layer, but it "
                + "has bias: false (" + dir.resolve("nobias.yaml") + " line 13)"), r::toString);
    }

    @Test
    void aWeightNormalizedBlockIsAConfigError() throws Exception {
        CommandResult r = train(CONFIG.replace("linear: {out: 24}", "linear: {out: 24, weight_norm: true}"), "wn");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("model.layers[1] (linear): pretrain copies the RBM's weights into this layer, but with "
                + "weight_norm its weight is computed from other parameters (" + dir.resolve("wn.yaml") + " line 11)"), r::toString);
    }
}
