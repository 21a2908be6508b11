package dev.ravine.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.ExitCode;
import dev.ravine.app.cli.Main;
import dev.ravine.app.store.ConfusionRecord;
import dev.ravine.app.store.RunRecords;
import dev.ravine.app.store.RunStore;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data a report embeds, from a run folder made here with the run store's own writer: every chart's columns, the
 * findings as the doctor stored them, repairs with their before/after losses, curvature only when measured, and the
 * page's escaping of text from the run.
 */
class ReportDataTest {
    private static final String CONFIG = """
            seed: 5
            model:
              input: [4]
              layers:
                - linear: {out: 8, in: 4, bias: true, init: he_normal}
                - relu
                - linear: {out: 3, in: 8, bias: true, init: default}
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
            training: {epochs: 2, batch_size: 10}
            """;

    @TempDir
    Path dir;

    /** 20 steps over 2 epochs, readings every 5 steps, step 7's loss NaN, one finding, one repair. */
    private Path run(boolean curvatureTable, int curvatureRows) throws Exception {
        Path run = dir.resolve("run-" + curvatureTable + curvatureRows);
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), CONFIG);
        try (RunStore store = RunStore.create(run.resolve("run.db"))) {
            store.putMeta(Map.of("config_name", "tiny <b>run</b>", "status", "completed", "parameters", "67", "train_samples", "100",
                    "started_at", "2026-01-01T00:00:00Z", RunRecords.LEGACY_REPAIR_LOSS_META, "NaN"));
            for (int step = 1; step <= 20; step++) {
                int epoch = step <= 10 ? 0 : 1;
                double loss = step == 7 ? Double.NaN : 2.0 / step;
                store.onBatchEnd(null, new BatchEvent(step, epoch, (step - 1) % 10, 10, 10, loss, 0.5, 1.0));
                if (step % 5 == 0) store.putReading(reading(step));
            }
            store.onEpochEnd(null, new EpochEvent(1, 10, 0.5, 0.6, 0.45, 0.65, 1.0, 100));
            store.onEpochEnd(null, new EpochEvent(2, 20, 0.3, 0.8, 0.50, 0.70, 1.0, 100));
            store.putFindings(List.of(new Finding("lr_too_high", "Learning rate too high <script>alert(1)</script>", Severity.BLOCKING, 6, 8,
                    List.of("0"), List.of("loss rose 10x in 2 steps", "sharpness x lr = 3.1 > 2"), "the step overshoots",
                    List.of(new Remedy("optimizer.lr: 0.1 -> 0.03", "below the stability limit"), new Remedy("clip.global_norm: 1.0", "")))));
        }
        Files.writeString(run.resolve("summary.json"), """
                {"status": "completed", "reason": "all 2 epochs done", "epochs": 2, "steps": 20, "train_loss": 0.3,
                 "train_accuracy": 0.8, "val_loss": 0.5, "val_accuracy": 0.7, "test_loss": 0.55, "test_accuracy": 0.68,
                 "wall_seconds": 2.5, "findings": [],
                 "repairs": [{"step": 7, "finding": "exploding_gradients", "remedy": "optimizer.lr x 0.3", "rolled_back_to": 5, "lr_scale": 0.3}]}
                """);
        if (curvatureTable) {
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"))) {
                db.createStatement().execute("CREATE TABLE IF NOT EXISTS curvature_readings(step INTEGER PRIMARY KEY, sharpness REAL, threshold REAL,"
                        + " preconditioned_sharpness REAL, preconditioned_threshold REAL, hvps INTEGER)");
                try (PreparedStatement s = db.prepareStatement("INSERT INTO curvature_readings VALUES (?, ?, ?, NULL, NULL, ?)")) {
                    for (int i = 1; i <= curvatureRows; i++) {
                        s.setLong(1, 5L * i);
                        s.setDouble(2, 10.0 * i);
                        s.setDouble(3, 38.0);
                        s.setLong(4, 20);
                        s.executeUpdate();
                    }
                }
            }
        }
        return run;
    }

    /** Layers "0" and "2" (the linear layers), module "1" (the ReLU) with a dead fraction growing with the step. */
    private static StepReading reading(long step) {
        List<LayerReading> layers = List.of(new LayerReading("0", 0.1 * step, 2.0, 0.002, 0.001 * step, 0),
                new LayerReading("2", 1.0 * step, 1.0, 0.01, 0.01, 0));
        List<ActivationReading> activations = List.of(new ActivationReading("1", "relu", 0.3, 0.2, step / 100.0, Double.NaN, 0, 0.1, 1.0));
        return new StepReading(step, step <= 10 ? 0 : 1, 2.0 / step, true, 1.0, layers, activations);
    }

    @Test
    void stepsEpochsAndTheLossThatWasNotFinite() throws Exception {
        ObjectNode data = ReportData.read(run(false, 0));
        JsonNode steps = data.get("steps");
        assertEquals(20, steps.get("step").size());
        assertEquals(1, steps.get("stride").asInt());
        assertEquals(2.0f / 3, steps.get("loss").get(2).floatValue());
        assertTrue(steps.get("loss").get(6).isNull(), "the NaN loss of step 7 is null");
        assertEquals("[7]", steps.get("nonfinite").toString());
        JsonNode epochs = data.get("epochs");
        assertEquals("[1,2]", epochs.get("epoch").toString());
        assertEquals("[10,20]", epochs.get("step").toString());
        assertEquals(0.5f, epochs.get("val_loss").get(1).floatValue());
        JsonNode metrics = data.get("metrics");
        assertEquals(1, metrics.get("best_epoch").asInt(), "the lowest validation loss is epoch 1's");
        assertEquals(0.45f, metrics.get("best_val_loss").floatValue());
        assertEquals(0.68, metrics.get("test_accuracy").asDouble());
    }

    @Test
    void layerReadingsAreOneRowPerLayerLabelledWithTheConfigsLayerKind() throws Exception {
        JsonNode layers = ReportData.read(run(false, 0)).get("layers");
        assertEquals("[5,10,15,20]", layers.get("step").toString());
        assertEquals("[\"0\",\"2\"]", layers.get("names").toString());
        assertEquals("[\"0 linear\",\"2 linear\"]", layers.get("labels").toString());
        assertEquals((float) (0.1 * 15), layers.get("grad_norm").get(0).get(2).floatValue());
        assertEquals(20f, layers.get("grad_norm").get(1).get(3).floatValue());
        assertEquals((float) (0.001 * 10), layers.get("update_ratio").get(0).get(1).floatValue());

        JsonNode activations = ReportData.read(run(false, 0)).get("activations");
        assertEquals("[\"1 relu\"]", activations.get("labels").toString());
        assertEquals("[\"relu\"]", activations.get("kinds").toString());
        assertEquals(0.2f, activations.get("dead_fraction").get(0).get(3).floatValue());
        assertTrue(activations.get("saturated_fraction").get(0).get(0).isNull(), "a ReLU has no saturated fraction");
    }

    @Test
    void findingsKeepEvidenceAndRankedRemedies() throws Exception {
        JsonNode f = ReportData.read(run(false, 0)).get("findings").get(0);
        assertEquals("lr_too_high", f.get("id").asText());
        assertEquals("blocking", f.get("severity").asText());
        assertEquals(6, f.get("first_step").asLong());
        assertEquals(8, f.get("last_step").asLong());
        assertEquals("[\"0\"]", f.get("layers").toString());
        assertEquals(2, f.get("evidence").size());
        assertEquals("sharpness x lr = 3.1 > 2", f.get("evidence").get(1).asText());
        assertEquals("optimizer.lr: 0.1 -> 0.03", f.get("remedies").get(0).get("change").asText());
        assertEquals("below the stability limit", f.get("remedies").get(0).get("why").asText());
        assertEquals("clip.global_norm: 1.0", f.get("remedies").get(1).get("change").asText());
    }

    @Test
    void repairsShowTheLossBeforeAndTheMeanLossAfterTheRollback() throws Exception {
        JsonNode r = ReportData.read(run(false, 0)).get("repairs").get(0);
        assertEquals(7, r.get("step").asLong());
        assertEquals(5, r.get("rolled_back_to").asLong());
        assertEquals("non-finite", r.get("loss_before").asText());
        // steps 6..20 minus the NaN step 7 (the after window of 50 steps reaches past the run's end)
        double mean = 0;
        int n = 0;
        for (int s = 6; s <= 20; s++) {
            if (s != 7) {
                mean += 2.0 / s;
                n++;
            }
        }
        assertEquals(mean / n, r.get("loss_after").asDouble(), 1e-6);
    }

    @Test
    void curvatureIsChartedOnlyWhenTheTableHasRows() throws Exception {
        assertTrue(ReportData.read(run(false, 0)).get("curvature").isNull(), "no table");
        assertTrue(ReportData.read(run(true, 0)).get("curvature").isNull(), "an empty table");
        JsonNode c = ReportData.read(run(true, 3)).get("curvature");
        assertEquals("[5,10,15]", c.get("step").toString());
        assertEquals(30f, c.get("sharpness").get(2).floatValue());
        assertEquals(38f, c.get("threshold").get(0).floatValue());
        assertTrue(c.get("preconditioned_sharpness").get(0).isNull(), "not an Adam-family run");
        assertEquals(20, c.get("hvps").get(1).asInt());
    }

    @Test
    void longSeriesAreThinnedToEveryKthRowKeepingTheLast() {
        Thinning t = Thinning.of(10_001, 5000);
        assertEquals(3, t.stride());
        int kept = 0;
        for (int i = 0; i < 10_001; i++) if (t.keeps(i)) kept++;
        assertEquals(3335, kept);
        assertTrue(t.keeps(10_000), "the last row is kept");
        assertEquals(1, Thinning.of(4999, 5000).stride());
    }

    @Test
    void textFromTheRunIsEscapedInThePageAndInTheEmbeddedData() throws Exception {
        String html = ReportPage.render(ReportData.read(run(false, 0)), "test", Instant.EPOCH);
        assertFalse(html.contains("<script>alert(1)</script>"), "a finding title must not become a script");
        assertTrue(html.contains("Learning rate too high &lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html.contains("Ravine run report: tiny &lt;b&gt;run&lt;/b&gt;"));
        String embedded = html.substring(html.indexOf("id=\"report-data\">"), html.indexOf("</script>", html.indexOf("id=\"report-data\">")));
        assertTrue(embedded.contains("\\u003cscript>alert(1)\\u003c/script>"), "the JSON cannot close its script element");
        assertTrue(html.contains("Copyright (c) 2022 Leon Sorokin"), "uPlot's MIT licence notice is kept");
    }

    @Test
    void theConfusionMatrixIsDrawnAsAShadedTableWithPerClassMetrics() throws Exception {
        Path run = run(false, 0);
        try (RunStore store = RunStore.create(run.resolve("run.db"))) {
            store.putConfusion(new ConfusionRecord("test", "checkpoints/best.ckpt", new long[][] {{8, 2, 0}, {1, 9, 0}, {0, 0, 0}}));
        }
        String html = ReportPage.render(ReportData.read(run), "test", Instant.EPOCH);
        assertTrue(html.contains("On the test set (20 samples) with checkpoints/best.ckpt"), html);
        // class 0: precision 8/9, recall 8/10, F1 2*8/(9+10); class 2 has no sample and is never predicted
        assertTrue(html.contains("<tr><td>0</td><td>0.8889</td><td>0.8000</td><td>0.8421</td><td>10</td></tr>"), html);
        assertTrue(html.contains("<tr><td>2</td><td>-</td><td>-</td><td>-</td><td>0</td></tr>"), html);
        assertTrue(html.contains("title=\"true 0, predicted 1: 2\">2</td>"), "an error cell");
        assertTrue(html.contains("<td style=\"background: rgba(34,139,34,0.800)\" title=\"true 1, predicted 1: 9\">9</td>"),
                "the diagonal cell's shade is its share of the row (9/10)");
        String none = ReportPage.render(ReportData.read(run(true, 0)), "test", Instant.EPOCH);
        assertTrue(none.contains("No confusion matrix"), "a run without one says so");
    }

    @Test
    void aFolderWithoutRunDbIsAClearError() throws Exception {
        ReportException e = assertThrows(ReportException.class, () -> ReportData.read(dir));
        assertTrue(e.getMessage().contains("no run database"), e.getMessage());

        Files.writeString(dir.resolve("config.yaml"), CONFIG);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
             PrintStream e2 = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[] {"report", dir.toString()}, o, e2);
        }
        assertEquals(ExitCode.BAD_INPUT, code, "bad input, not a bug");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ravine report: error: no run database at"), err.toString());
    }

    /** A run written before the doctor's tables existed (steps, epochs, meta only) still gets a report. */
    @Test
    void anOlderRunWithoutTheDoctorsTablesStillGetsAReport() throws Exception {
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("config.yaml"), CONFIG);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + old.resolve("run.db"))) {
            var s = db.createStatement();
            s.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
            s.execute("CREATE TABLE steps(step INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, batch INTEGER NOT NULL, loss REAL, accuracy REAL, lr_scale REAL)");
            s.execute("CREATE TABLE epochs(epoch INTEGER PRIMARY KEY, step INTEGER NOT NULL, train_loss REAL, train_accuracy REAL,"
                    + " val_loss REAL, val_accuracy REAL, seconds REAL, samples_per_second REAL)");
            s.execute("INSERT INTO meta VALUES ('config_name', 'old-run'), ('status', 'completed')");
            s.execute("INSERT INTO steps VALUES (1, 1, 1, 2.3, 0.1, 1.0), (2, 1, 2, 2.1, 0.2, 1.0)");
            s.execute("INSERT INTO epochs VALUES (1, 2, 2.2, 0.15, NULL, NULL, 1.0, 50)");
        }
        ObjectNode data = ReportData.read(old);
        assertEquals("[2.3,2.1]", data.get("steps").get("loss").toString());
        assertTrue(data.get("layers").isNull() && data.get("activations").isNull() && data.get("curvature").isNull());
        assertEquals(0, data.get("findings").size());
        assertFalse(data.get("metrics").has("best_epoch"), "no validation loss, no early stopping: no best epoch");
        String html = ReportPage.render(data, "test", Instant.EPOCH);
        assertTrue(html.contains("Ravine run report: old-run"));
        assertTrue(html.contains("No findings"));
    }
}
