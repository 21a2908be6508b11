package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.ExitCode;
import dev.ravine.io.CheckpointFile;
import dev.ravine.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run keeps best.ckpt (lowest validation loss) beside its rolling checkpoints; eval and predict use it by default,
 * say so, and agree with summary.json; eval prints per-class precision, recall, F1 and the confusion matrix.
 */
class PredictEvalEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path run;
    static JsonNode summary;

    @BeforeAll
    static void train() throws Exception {
        TestData.writeSubset(dir, "train", "train", 400);
        TestData.writeSubset(dir, "t10k", "test", 200);
        Path config = dir.resolve("overfit.yaml");
        // A learning rate high enough for 320 digits that the validation loss turns back up before the last epoch.
        Files.writeString(config, TestData.mlpConfig("{name: adam, lr: 0.05}", 8).replace("checkpoint_every: 4", "keep_checkpoints: 1"));
        run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);
        summary = JSON.readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void bestCkptIsTheEpochOfLowestValidationLossAndSummaryJsonSaysSo() throws Exception {
        int bestEpoch = 0;
        double lowest = Double.POSITIVE_INFINITY;
        long bestStep = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT epoch, step, val_loss FROM epochs ORDER BY epoch")) {
            while (rs.next()) {
                if (rs.getDouble(3) < lowest) {
                    lowest = rs.getDouble(3);
                    bestEpoch = rs.getInt(1);
                    bestStep = rs.getLong(2);
                }
            }
        }
        assertTrue(bestEpoch < 8, "the test needs a run whose best epoch is not its last; best " + bestEpoch);
        JsonNode best = summary.get("best_checkpoint");
        assertEquals("checkpoints/best.ckpt", best.get("file").asText());
        assertEquals("val_loss", best.get("metric").asText());
        assertEquals(bestEpoch, best.get("epoch").asInt());
        assertEquals(lowest, best.get("value").asDouble(), 1e-12);
        assertEquals("checkpoints/best.ckpt", summary.get("test_checkpoint").asText());
        assertEquals(bestStep, CheckpointFile.read(run.resolve("checkpoints/best.ckpt")).step());
        assertEquals(String.format("step-%09d.ckpt", summary.get("steps").asLong()),
                Trainer.latestCheckpoint(run.resolve("checkpoints")).getFileName().toString(), "the rolling checkpoint is kept too");
    }

    @Test
    void evalUsesBestCkptAgreesWithSummaryAndPrintsPerClassMetrics() {
        CommandResult eval = CommandResult.run("eval", run.toString());
        assertEquals(ExitCode.OK, eval.exitCode(), eval::toString);
        assertTrue(eval.out().contains("weights:    " + run.resolve("checkpoints/best.ckpt") + " (the best checkpoint: best val_loss"), eval::toString);
        assertEquals(Math.round(summary.get("test_accuracy").asDouble() * 200), correct(eval.out()), eval::toString);

        // per class: support sums to the test set, and the confusion matrix's diagonal to the correct count
        Matcher row = Pattern.compile("(?m)^\\s+(\\d)\\s+([0-9.-]+)\\s+([0-9.-]+)\\s+([0-9.-]+)\\s+(\\d+)$").matcher(eval.out());
        int classes = 0;
        long support = 0;
        while (row.find()) {
            classes++;
            support += Long.parseLong(row.group(5));
        }
        assertEquals(10, classes, eval::toString);
        assertEquals(200, support);
        String matrix = eval.out().substring(eval.out().indexOf("true\\pred"));
        List<String> lines = matrix.lines().skip(1).limit(10).toList();
        long diagonal = 0, total = 0;
        for (int t = 0; t < 10; t++) {
            String[] cells = lines.get(t).trim().split("\\s+");
            assertEquals(Integer.toString(t), cells[0]);
            for (int p = 0; p < 10; p++) total += Long.parseLong(cells[p + 1]);
            diagonal += Long.parseLong(cells[t + 1]);
        }
        assertEquals(200, total);
        assertEquals(correct(eval.out()), diagonal);

        CommandResult newest = CommandResult.run("eval", run.toString(), "--newest");
        assertEquals(ExitCode.OK, newest.exitCode(), newest::toString);
        assertTrue(newest.out().contains("(the newest checkpoint (--newest))"), newest::toString);
    }

    @Test
    void predictWritesClassAndProbabilitiesThatAgreeWithEval() throws Exception {
        Path out = dir.resolve("predictions.csv");
        CommandResult predict = CommandResult.run("predict", run.toString(), "--data", "idx:" + dir.resolve("test"), "--out", out.toString());
        assertEquals(ExitCode.OK, predict.exitCode(), predict::toString);
        assertTrue(predict.out().contains("weights:     " + run.resolve("checkpoints/best.ckpt")), predict::toString);
        List<String> lines = Files.readAllLines(out);
        assertEquals("sample,class,label,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", lines.getFirst());
        assertEquals(201, lines.size());
        long correct = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double sum = 0, max = -1;
            int argmax = -1;
            for (int c = 0; c < 10; c++) {
                double p = Double.parseDouble(f[3 + c]);
                sum += p;
                if (p > max) {
                    max = p;
                    argmax = c;
                }
            }
            assertEquals(1.0, sum, 1e-4, line);
            assertEquals(argmax, Integer.parseInt(f[1]), "the class is the most probable one: " + line);
            if (f[1].equals(f[2])) correct++;
        }
        assertEquals(Math.round(summary.get("test_accuracy").asDouble() * 200), correct);
    }

    private static long correct(String evalOut) {
        Matcher m = Pattern.compile("accuracy [0-9.]+% \\((\\d+)/(\\d+) correct\\)").matcher(evalOut);
        assertTrue(m.find(), evalOut);
        return Long.parseLong(m.group(1));
    }
}
