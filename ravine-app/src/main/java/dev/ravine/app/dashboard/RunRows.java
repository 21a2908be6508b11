package dev.ravine.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.compare.FlatConfig;
import dev.ravine.app.store.RunRecords;
import dev.ravine.app.store.RunStoreException;
import dev.ravine.app.store.StepRecord;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.train.EpochEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runs page's rows, one per run under the folder: status, progress (step, epoch of the planned epochs), key metrics
 * (newest step loss, newest epoch's validation loss and accuracy, test accuracy) and the top finding. A row is read
 * again only when its run's files changed (run.db, its WAL, summary.json), so polling a folder of finished runs reads
 * nothing.
 *
 * <pre>
 * {name, status, reason, step, epoch, epochs, loss, val_loss, val_accuracy, test_accuracy, findings, top_finding{severity, id, title}, updated_ms}
 * </pre>
 */
final class RunRows {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunFolders folders;
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(List<Long> stamp, ObjectNode row) {}

    RunRows(RunFolders folders) {
        this.folders = folders;
    }

    synchronized ArrayNode rows() {
        ArrayNode out = F.arrayNode();
        Map<String, Cached> seen = new HashMap<>();
        for (String name : folders.names()) {
            Path folder = folders.resolve(name);
            if (folder == null) continue;
            List<Long> stamp = stamp(folder);
            Cached c = cache.get(name);
            if (c == null || !c.stamp().equals(stamp)) c = new Cached(stamp, row(name, folder, stamp));
            seen.put(name, c);
            out.add(c.row());
        }
        cache.keySet().retainAll(seen.keySet());
        cache.putAll(seen);
        return out;
    }

    /** The modification times and sizes of the files a row is read from: equal stamps, equal rows. */
    private static List<Long> stamp(Path folder) {
        return List.of(modified(folder.resolve("run.db")), size(folder.resolve("run.db")), modified(folder.resolve("run.db-wal")),
                size(folder.resolve("run.db-wal")), modified(folder.resolve("summary.json")));
    }

    static ObjectNode row(String name, Path folder, List<Long> stamp) {
        ObjectNode row = F.objectNode();
        row.put("name", name);
        row.put("updated_ms", Math.max(stamp.get(0), Math.max(stamp.get(2), stamp.get(4)))); // the newest of the times in the stamp
        Map<String, String> config = FlatConfig.of(text(folder.resolve("config.yaml")));
        if (config.containsKey("training.epochs")) row.put("epochs", config.get("training.epochs"));
        try (RunRecords records = RunRecords.open(folder.resolve("run.db"))) {
            Map<String, String> meta = records.meta();
            row.put("status", meta.getOrDefault("status", "unknown"));
            if (meta.get("reason") != null) row.put("reason", meta.get("reason"));
            StepRecord last = records.latestStep();
            if (last != null) {
                row.put("step", last.step());
                row.put("epoch", last.epoch());
                real(row, "loss", last.loss());
            }
            List<EpochEvent> epochs = records.epochs();
            if (!epochs.isEmpty()) {
                EpochEvent e = epochs.getLast();
                row.put("epochs_done", e.epoch());
                real(row, "val_loss", e.valLoss());
                real(row, "val_accuracy", e.valAccuracy());
            }
            List<Finding> findings = records.findings();
            row.put("findings", findings.size());
            if (!findings.isEmpty()) {
                Finding top = findings.getFirst();
                row.putObject("top_finding").put("severity", top.severity().name().toLowerCase(Locale.ROOT)).put("id", top.id())
                        .put("title", top.title());
            }
        } catch (RunStoreException e) {
            row.put("status", "unreadable");
            row.put("reason", e.getMessage());
        }
        summary(row, folder.resolve("summary.json"));
        return row;
    }

    /** A finished run's summary.json has the last word on status and final metrics. */
    private static void summary(ObjectNode row, Path file) {
        if (!Files.isRegularFile(file)) return;
        try {
            JsonNode s = JSON.readTree(file.toFile());
            if (s.hasNonNull("status")) row.put("status", s.get("status").asText());
            if (s.hasNonNull("reason")) row.put("reason", s.get("reason").asText());
            for (String key : List.of("val_loss", "val_accuracy", "test_accuracy")) {
                if (s.path(key).isNumber()) row.put(key, s.get(key).asDouble());
            }
        } catch (IOException e) {
            row.put("reason", "summary.json unreadable: " + e.getMessage());
        }
    }

    private static void real(ObjectNode row, String key, double v) {
        if (Double.isFinite(v)) row.put(key, v);
        else row.putNull(key);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
