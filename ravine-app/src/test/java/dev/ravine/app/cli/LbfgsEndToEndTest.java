package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * L-BFGS from a config, full batch: one step per epoch, each up to max_iter inner iterations with the strong-Wolfe
 * line search; the run checkpoints, resumes from a stopped run folder, and is evaluated like any other.
 */
class LbfgsEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void fullBatchLbfgsTrainsFromAConfig() throws Exception {
        TestData.writeSubset(dir, "train", "train", 200);
        TestData.writeSubset(dir, "t10k", "test", 50);
        String yaml = TestData.mlpConfig("{name: lbfgs, max_iter: 10, history_size: 10, line_search_fn: strong_wolfe}", 4)
                .replace("batch_size: 50, checkpoint_every: 4", "batch_size: 160");
        Path config = dir.resolve("lbfgs.yaml");
        Files.writeString(config, yaml);
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(4, summary.get("steps").asInt(), summary::toString);
        List<Double> losses = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT loss FROM steps ORDER BY step")) {
            while (rs.next()) losses.add(rs.getDouble(1));
        }
        assertEquals(4, losses.size(), losses::toString);
        // Each step's loss is the full-batch loss before it: L-BFGS with a line search never lets it rise.
        for (int i = 1; i < losses.size(); i++) assertTrue(losses.get(i) <= losses.get(i - 1), losses::toString);
        // 4 steps of up to 10 iterations each fit 160 images: from ~log(10) to a small fraction of it.
        assertTrue(losses.get(3) < 0.25 * losses.get(0), losses::toString);
        assertTrue(summary.hasNonNull("test_accuracy"), summary::toString);
    }
}
