package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointFile;
import dev.ravine.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ravine train} on 500 shipped MNIST digits for one epoch, then {@code ravine eval} on the run: the run folder
 * has every file with the right contents, and eval reproduces the test accuracy of summary.json exactly.
 */
class TrainEvalEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws Exception {
        TestData.writeSubset(dir, "train", "train", 500);
        TestData.writeSubset(dir, "t10k", "test", 200);
    }

    @Test
    void trainWritesARunFolderAndEvalReproducesTheTestAccuracy() throws Exception {
        Path config = dir.resolve("small.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: adam, lr: 0.003}", 1));
        Path run = dir.resolve("run");

        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        assertTrue(train.out().contains("epoch 1/1  train loss"), train::toString);
        assertTrue(train.out().contains("completed: the epoch is done"), train::toString);
        assertTrue(train.out().contains("total"), "model table");

        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(1, summary.get("epochs").asInt());
        // 400 training samples (20% held out for validation) in batches of 50
        assertEquals(8, summary.get("steps").asInt());
        for (String field : new String[] {"reason", "train_loss", "val_loss", "val_accuracy", "test_loss", "test_accuracy",
                "samples_per_second", "wall_seconds", "parameters"}) {
            assertTrue(summary.hasNonNull(field), "summary.json lacks " + field + ": " + summary);
        }
        assertEquals(784 * 32 + 32 + 32 * 10 + 10, summary.get("parameters").asInt());
        assertEquals(200, summary.get("test_samples").asInt());
        double testAccuracy = summary.get("test_accuracy").asDouble();
        assertTrue(testAccuracy > 0.5, "one epoch on 400 digits should beat chance by far: " + testAccuracy);

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"))) {
            assertEquals(8, count(db, "SELECT COUNT(*) FROM steps"));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM epochs"));
            assertEquals(8, count(db, "SELECT MAX(step) FROM steps"));
            assertEquals(8, count(db, "SELECT MAX(batch) FROM steps WHERE epoch = 1"));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM steps WHERE loss IS NULL OR lr_scale IS NULL"));
            assertEquals(8, count(db, "SELECT step FROM epochs WHERE epoch = 1"));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM epochs WHERE val_loss IS NULL OR samples_per_second IS NULL"));
            Map<String, String> meta = meta(db);
            assertEquals("completed", meta.get("status"));
            assertEquals("3", meta.get("seed"));
            assertEquals("400", meta.get("train_samples"));
        }

        // checkpoint_every 4: steps 4 and 8; keep_checkpoints 2
        Path latest = Trainer.latestCheckpoint(run.resolve("checkpoints"));
        assertNotNull(latest);
        assertEquals("step-000000008.ckpt", latest.getFileName().toString());
        assertTrue(Files.exists(run.resolve("checkpoints/step-000000004.ckpt")));
        Checkpoint c = CheckpointFile.read(latest);
        assertEquals(8, c.step());
        assertEquals("checkpoints/step-000000008.ckpt", summary.get("checkpoint").asText());

        String resolved = Files.readString(run.resolve("config.yaml"));
        assertTrue(resolved.contains("- linear: {out: 32, in: 784, bias: true, init: default"), resolved);
        assertTrue(resolved.contains("checkpoint_every: 4"), resolved);
        assertTrue(Files.exists(run.resolve("normalizer.json")));

        CommandResult eval = CommandResult.run("eval", run.toString(), "--data", "idx:" + dir.resolve("test"));
        assertEquals(ExitCode.OK, eval.exitCode(), eval::toString);
        assertEquals(Math.round(testAccuracy * 200), correct(eval), eval::toString);
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "loss %.6f", summary.get("test_loss").asDouble())),
                eval + "\nsummary test_loss " + summary.get("test_loss"));

        // the default data is the run's test set; a checkpoint path selects that checkpoint
        CommandResult evalDefault = CommandResult.run("eval", latest.toString());
        assertEquals(ExitCode.OK, evalDefault.exitCode(), evalDefault::toString);
        assertEquals(correct(eval), correct(evalDefault));
        assertFalse(Files.exists(run.resolve("eval")), "eval writes nothing");
    }

    @Test
    void aRunWhoseLossBecomesNanEndsDivergedWithExitCode3() throws Exception {
        Path config = dir.resolve("diverge.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: sgd, lr: 1.0e6}", 2));
        Path run = dir.resolve("diverged-run");

        CommandResult train = CommandResult.run("train", config.toString(), "--set", "data.normalize=standardize",
                "--out", run.toString());
        assertEquals(ExitCode.DIVERGED, train.exitCode(), train::toString);
        assertTrue(train.out().contains("diverged: the loss became"), train::toString);
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("diverged", summary.get("status").asText());
        assertTrue(summary.get("reason").asText().contains("the loss became"), summary::toString);
        assertTrue(summary.get("test_accuracy").isNull(), "no test evaluation of a diverged model");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"))) {
            assertEquals("diverged", meta(db).get("status"));
            try (var rs = db.createStatement().executeQuery("SELECT id, severity, first_step, remedies FROM findings WHERE id = 'exploding_gradients'")) {
                assertTrue(rs.next(), "the doctor's finding is stored");
                assertEquals("exploding_gradients", rs.getString(1));
                assertEquals("blocking", rs.getString(2));
                assertEquals(summary.get("steps").asLong() + 1, rs.getLong(3), "at the step whose loss was NaN");
                assertTrue(rs.getString(4).startsWith("clip.global_norm"), rs.getString(4));
            }
        }
        // The doctor names the problem in the summary and live on the terminal. The summary ranks root cause first
        // (issue 11): the loss diverged from a sane start over steps 1-7, so the learning rate comes before the NaN.
        JsonNode finding = summary.get("findings").get(0);
        assertEquals("lr_too_high", finding.get("id").asText(), summary::toString);
        assertEquals("exploding_gradients", summary.get("findings").get(1).get("id").asText(), summary::toString);
        assertTrue(train.out().contains("doctor: Gradients exploded to NaN/Inf (exploding_gradients)"), train::toString);
        // `ravine doctor RUN_DIR` re-analyses the stored run and finds the same, with evidence and remedies
        CommandResult doctor = CommandResult.run("doctor", run.toString());
        assertEquals(ExitCode.OK, doctor.exitCode(), doctor::toString);
        assertTrue(doctor.out().contains("[exploding_gradients, blocking]"), doctor::toString);
        // the top finding is lr_too_high (its first remedy the learning rate); exploding_gradients' still lists clipping
        assertTrue(doctor.out().contains("evidence:") && doctor.out().contains("1. optimizer.lr") && doctor.out().contains(". clip.global_norm"), doctor::toString);
        // checkpoint_every 4: the loss of step steps+1 was NaN. The last good checkpoint is the newest multiple of 4
        // below it, except that a checkpoint at step `steps` holds the weights that gave the NaN and is set aside.
        int steps = summary.get("steps").asInt();
        assertTrue(steps >= 4 && steps < 20, "lr 1e6 diverges within a few steps: " + summary);
        Path latest = Trainer.latestCheckpoint(run.resolve("checkpoints"));
        assertNotNull(latest, "checkpoint_every 4 wrote one before the loss became NaN");
        assertEquals(String.format("step-%09d.ckpt", 4 * ((steps - 1) / 4)), latest.getFileName().toString());
        for (float[] values : CheckpointFile.read(latest).parameters().values()) {
            for (float v : values) assertTrue(Float.isFinite(v), "checkpoint " + latest + " holds " + v);
        }
    }

    @Test
    void withRepairTheDoctorRollsBackAndLowersTheLearningRateAtMostMaxRepairsTimes() throws Exception {
        Path config = dir.resolve("repair.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: sgd, lr: 1.0e6}", 2) + "doctor: {repair: true, max_repairs: 2}\n");
        Path run = dir.resolve("repair-run");
        // standardized inputs make lr 1e6 overflow to NaN within a few steps (see the diverging-run test above)
        CommandResult train = CommandResult.run("train", config.toString(), "--set", "data.normalize=standardize", "--out", run.toString());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        JsonNode repairs = summary.get("repairs");
        assertTrue(repairs != null, () -> train + "\n" + summary);
        assertEquals(2, repairs.size(), summary::toString);
        assertEquals(1.0 / 3, repairs.get(0).get("lr_scale").asDouble(), 1e-12);
        // the first did not heal (NaN again): the next remedy follows, lr/10 of the rate before the first repair
        assertEquals("not_healed", repairs.get(0).get("verdict").asText(), summary::toString);
        assertEquals(0.1, repairs.get(1).get("lr_scale").asDouble(), 1e-12, summary::toString);
        assertTrue(train.out().contains("doctor: repaired"), train::toString);
        // lr 1e6 / 10 still diverges: after its two repairs the run ends as diverged, as bounded repair must
        assertEquals("diverged", summary.get("status").asText());
    }

    @Test
    void theCheckpointWhoseWeightsGaveTheNanLossIsSetAside() throws Exception {
        Path config = dir.resolve("diverge-every-step.yaml");
        Files.writeString(config, TestData.mlpConfig("{name: sgd, lr: 1.0e6}", 2));
        Path run = dir.resolve("diverged-every-step");
        CommandResult train = CommandResult.run("train", config.toString(), "--set", "data.normalize=standardize",
                "--set", "training.checkpoint_every=1", "--out", run.toString());
        assertEquals(ExitCode.DIVERGED, train.exitCode(), train::toString);
        int steps = JSON.readTree(run.resolve("summary.json").toFile()).get("steps").asInt();
        assertTrue(Files.exists(run.resolve(String.format("checkpoints/diverged-step-%09d.ckpt", steps))), train::toString);
        Path latest = Trainer.latestCheckpoint(run.resolve("checkpoints"));
        assertEquals(String.format("step-%09d.ckpt", steps - 1), latest.getFileName().toString());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("checkpoints/" + latest.getFileName(), summary.get("checkpoint").asText());
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next());
            return r.getLong(1);
        }
    }

    private static Map<String, String> meta(Connection db) throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT key, value FROM meta")) {
            while (r.next()) m.put(r.getString(1), r.getString(2));
        }
        return m;
    }

    private static long correct(CommandResult eval) {
        Matcher m = Pattern.compile("accuracy [0-9.]+% \\((\\d+)/(\\d+) correct\\)").matcher(eval.out());
        assertTrue(m.find(), eval::toString);
        return Long.parseLong(m.group(1));
    }
}
