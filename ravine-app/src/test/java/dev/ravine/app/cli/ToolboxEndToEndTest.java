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

/** A real run with clipping, regularization, parameter groups and early stopping: summary.json has best_epoch. */
class ToolboxEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void earlyStoppingWritesBestEpoch() throws Exception {
        TestData.writeSubset(dir, "train", "train", 200);
        TestData.writeSubset(dir, "t10k", "test", 50);
        String yaml = TestData.mlpConfig("{name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 0.0001}", 1)
                .replace("training: {epochs: 1, batch_size: 50, checkpoint_every: 4}",
                        "training: {epochs: 6, batch_size: 50, early_stopping: {monitor: val_loss, patience: 1, min_delta: 100}}")
                + """
                clip: {global_norm: 1.0}
                regularization: {l2: 0.0001, l1_proximal: 0.0001, max_norm: 4}
                param_groups: [{match: bias, weight_decay: 0}]
                """;
        Path config = dir.resolve("tools.yaml");
        Files.writeString(config, yaml);
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("stopped", summary.get("status").asText(), summary::toString);
        assertEquals(2, summary.get("epochs").asInt(), summary::toString);
        assertEquals(1, summary.get("best_epoch").asInt(), summary::toString);
        assertTrue(summary.get("reason").asText().contains("early stopping"), summary::toString);
        assertTrue(summary.hasNonNull("test_accuracy"), "an early-stopped run is evaluated on the test set: " + summary);
        String written = Files.readString(run.resolve("config.yaml"));
        assertTrue(written.contains("early_stopping: {monitor: val_loss") && written.contains("clip: {global_norm: 1.0, p: 2.0}")
                && written.contains("param_groups:"), written);
    }
}
