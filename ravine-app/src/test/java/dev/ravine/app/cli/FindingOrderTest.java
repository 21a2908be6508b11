package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.report.ReportData;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.finding.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ranking everywhere (Findings.ranked, root cause first): summary.json, run.db (its rows and its reader), the
 * report's data and {@code ravine doctor} list a run's findings in the same order. The run has a warning at step 0
 * (unshuffled batches, the cause) and a blocking NaN later (the symptom), which a blocking-first order would put first.
 */
class FindingOrderTest {
    @TempDir
    Path dir;

    @Test
    void summaryRunDbReportAndDoctorAgreeOnTheOrder() throws Exception {
        Path config = dir.resolve("sorted-and-too-fast.yaml");
        Files.writeString(config, """
                seed: 1
                data: {train: "blobs:classes=3,dims=4,samples=600,sorted=1,seed=4", shuffle: false, validation_split: 0.1}
                model:
                  input: [4]
                  layers:
                    - linear: {out: 32}
                    - relu
                    - linear: {out: 3}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 1.0e6, momentum: 0.9}
                training: {epochs: 2, batch_size: 32}
                """);
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(3, train.exitCode(), train::toString);

        List<String> summary = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(run.resolve("summary.json").toFile()).path("findings")) summary.add(f.path("id").asText());
        // issue 11: the loss diverged from a sane start before the NaN, so lr_too_high (from step 1) comes before it too
        assertEquals(List.of("data_unshuffled", "lr_too_high", "exploding_gradients"), summary, "the cause (step 0) before the blocking symptom");

        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("run.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT id FROM findings ORDER BY rowid")) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        assertEquals(summary, rows, "run.db rows");

        try (RunRecords records = RunRecords.open(run.resolve("run.db"))) {
            assertEquals(summary, records.findings().stream().map(Finding::id).toList(), "run.db's reader");
        }

        List<String> report = new ArrayList<>();
        for (JsonNode f : ReportData.read(run).path("findings")) report.add(f.path("id").asText());
        assertEquals(summary, report, "report.html's findings");

        CommandResult doctor = CommandResult.run("doctor", run.toString());
        List<String> printed = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\S.*  \\[([a-z_]+), (?:blocking|warning|info)]").matcher(doctor.out());
        while (m.find()) printed.add(m.group(1));
        assertEquals(summary, printed, doctor::toString);
    }
}
