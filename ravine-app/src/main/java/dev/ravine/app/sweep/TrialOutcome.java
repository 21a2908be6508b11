package dev.ravine.app.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.store.RunRecords;
import dev.ravine.doctor.finding.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a trial ended, read from its run folder (summary.json, and run.db's findings ranked root cause first).
 *
 * @param status      the run's status (completed, diverged, stopped, failed), or "stopped early" when the sweep's
 *                    doctor rule stopped it
 * @param stoppedBy   the blocking finding that stopped it early, or null
 * @param topFinding  "severity id: title" of the root-cause finding, or null
 * @param wallSeconds the trial's wall time as the sweep measured it (process start to end)
 */
public record TrialOutcome(Trial trial, String status, String reason, double valLoss, double valAccuracy, double testAccuracy,
                           String topFinding, String stoppedBy, double wallSeconds, int exitCode) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TrialOutcome read(Trial trial, Finding stoppedBy, double wallSeconds, int exitCode) {
        JsonNode summary = summary(trial.folder().resolve("summary.json"));
        String status = summary.path("status").asText("failed");
        String reason = summary.path("reason").isTextual() ? summary.path("reason").asText() : null;
        String top = null;
        Path db = trial.folder().resolve("run.db");
        if (Files.isRegularFile(db)) {
            try (RunRecords records = RunRecords.open(db)) {
                List<Finding> findings = records.findings();
                if (!findings.isEmpty()) top = describe(findings.getFirst());
            }
        }
        if (stoppedBy != null) {
            status = "stopped early";
            reason = "the doctor found a blocking problem at step " + stoppedBy.firstStep() + ": " + stoppedBy.title() + " (" + stoppedBy.id() + ")";
        } else if (summary.isEmpty()) {
            reason = "the trial wrote no summary.json (exit code " + exitCode + "); see its log in logs/";
        }
        return new TrialOutcome(trial, status, reason, number(summary, "val_loss"), number(summary, "val_accuracy"),
                number(summary, "test_accuracy"), top, stoppedBy == null ? null : stoppedBy.id(), wallSeconds, exitCode);
    }

    /**
     * The outcome of a trial that ran elsewhere (a cluster's worker), read from its run folder on the shared path:
     * {@code stoppedEarly} says whether the sweep's doctor rule stopped it, whose finding is then read from its run.db.
     */
    public static TrialOutcome ranElsewhere(Trial trial, boolean stoppedEarly, double wallSeconds, int exitCode) {
        Finding stoppedBy = stoppedEarly ? DoctorEarlyStop.blocking(trial.folder()).orElse(null) : null;
        return read(trial, stoppedBy, wallSeconds, exitCode);
    }

    static String describe(Finding f) {
        return f.severity().name().toLowerCase(java.util.Locale.ROOT) + " " + f.id() + ": " + f.title();
    }

    private static JsonNode summary(Path file) {
        if (!Files.isRegularFile(file)) return JSON.createObjectNode();
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static double number(JsonNode summary, String key) {
        JsonNode v = summary.get(key);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
