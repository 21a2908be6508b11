package dev.ravine.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.store.ConfusionRecord;
import dev.ravine.app.store.RepairRecord;
import dev.ravine.app.store.RunRecords;
import dev.ravine.app.store.RunStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a run's report shows, gathered from its folder into one JSON tree: the page renders the header,
 * findings and repairs from it and embeds it for the charts. Sources: {@code run.db} through {@link RunRecords} (meta,
 * steps, epochs, the doctor's readings, findings and repairs, curvature readings when the run has them),
 * {@code summary.json} (final metrics, best epoch; absent while a run is still going or when it crashed) and
 * {@code config.yaml}.
 *
 * <pre>
 * run          {name, folder, status, reason, started_at, finished_at, wall_seconds, seed, parameters, ...}
 * config       {facts: {model, loss, optimizer, ...}, text}
 * metrics      {train_loss, train_accuracy, val_loss, val_accuracy, test_loss, test_accuracy, best_epoch, best_val_loss, ...}
 * steps        {step[], loss[], stride, count, nonfinite[]}
 * epochs       {epoch[], step[], train_loss[], train_accuracy[], val_loss[], val_accuracy[]}
 * layers       {step[], stride, names[], labels[], grad_norm[layer][], update_ratio[layer][]} or null
 * activations  {step[], stride, names[], labels[], kinds[], dead_fraction[module][], saturated_fraction[module][]} or null
 * curvature    {step[], sharpness[], threshold[], preconditioned_sharpness[], preconditioned_threshold[], hvps[]} or null
 * findings     [{id, severity, first_step, last_step, layers[], title, cause, evidence[], remedies[{change, why}]}]
 * repairs      [{step, finding, remedy, rolled_back_to, lr_scale, loss_before, loss_after}]
 * confusion    {data, checkpoint, counts[true][predicted]} or null
 * </pre>
 */
public final class ReportData {
    /** At most this many steps of the loss curve and readings columns are embedded (see {@link Thinning}). */
    static final int MAX_STEP_POINTS = 5000;
    static final int MAX_READING_COLUMNS = 800;
    /** A repair's "after" loss: the mean over this many steps after the step the run went back to. */
    static final int AFTER_REPAIR_STEPS = 50;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportData() {}

    public static ObjectNode read(Path runFolder) {
        Path database = runFolder.resolve("run.db");
        if (!Files.isRegularFile(database)) {
            throw new ReportException("no run database at " + database + ": is this a run folder written by ravine train?");
        }
        JsonNode summary = summary(runFolder.resolve("summary.json"));
        ConfigFacts config = ConfigFacts.read(runFolder.resolve("config.yaml"));
        try (RunRecords records = RunRecords.open(database)) {
            Map<String, String> meta = records.meta();
            ObjectNode out = F.objectNode();
            out.set("run", run(runFolder, meta, summary));
            out.set("config", config(config));
            ObjectNode epochs = RunTables.epochs(records.epochs());
            out.set("metrics", metrics(meta, summary, epochs));
            out.set("steps", RunTables.steps(records.steps(), MAX_STEP_POINTS));
            out.set("epochs", epochs);
            out.set("layers", withLabels(RunTables.layers(records.layerReadings(), MAX_READING_COLUMNS), config.layerKinds()));
            out.set("activations", withLabels(RunTables.activations(records.activationReadings(), MAX_READING_COLUMNS), config.layerKinds()));
            out.set("curvature", RunTables.curvature(records.curvature(), MAX_STEP_POINTS));
            out.set("findings", RunTables.findings(records.findings()));
            out.set("repairs", repairs(records));
            out.set("confusion", confusion(records.confusion()));
            return out;
        } catch (RunStoreException e) {
            throw new ReportException(e.getMessage(), e);
        }
    }

    private static JsonNode confusion(ConfusionRecord c) {
        if (c == null) return F.nullNode();
        ObjectNode out = F.objectNode();
        out.put("data", c.data());
        out.put("checkpoint", c.checkpoint());
        out.set("counts", JSON.valueToTree(c.counts()));
        return out;
    }

    private static JsonNode summary(Path file) {
        if (!Files.isRegularFile(file)) return F.objectNode();
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode run(Path folder, Map<String, String> meta, JsonNode summary) {
        ObjectNode run = F.objectNode();
        run.put("name", meta.getOrDefault("config_name", folder.getFileName().toString()));
        run.put("folder", folder.toAbsolutePath().normalize().toString());
        run.put("status", text(summary, "status", meta.getOrDefault("status", "unknown")));
        run.put("reason", text(summary, "reason", meta.get("reason")));
        for (String key : List.of("config_file", "started_at", "finished_at", "ravine_version", "seed", "threads", "parameters",
                "train_samples", "validation_samples", "test_samples", "classes")) {
            if (meta.containsKey(key)) run.put(key, meta.get(key));
        }
        JsonNode wall = summary.get("wall_seconds");
        if (wall != null && wall.isNumber()) run.put("wall_seconds", wall.asDouble());
        else if (meta.containsKey("wall_seconds")) run.put("wall_seconds", Double.parseDouble(meta.get("wall_seconds")));
        return run;
    }

    private static ObjectNode config(ConfigFacts config) {
        ObjectNode out = F.objectNode();
        ObjectNode facts = out.putObject("facts");
        config.facts().forEach(facts::put);
        out.put("text", config.text());
        return out;
    }

    /** The final metrics (summary.json), and the best epoch: the early-stopping one, else the lowest validation loss. */
    private static ObjectNode metrics(Map<String, String> meta, JsonNode summary, ObjectNode epochs) {
        ObjectNode m = F.objectNode();
        for (String key : List.of("epochs", "steps", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss",
                "test_accuracy", "samples_per_second")) {
            JsonNode v = summary.get(key);
            if (v != null && v.isNumber()) m.set(key, v);
        }
        if (!m.has("test_loss") && meta.containsKey("test_loss")) m.put("test_loss", Double.parseDouble(meta.get("test_loss")));
        JsonNode best = summary.get("best_epoch");
        ArrayNode val = (ArrayNode) epochs.get("val_loss");
        int bestIndex = -1;
        for (int i = 0; i < val.size(); i++) {
            if (!val.get(i).isNull() && (bestIndex < 0 || val.get(i).asDouble() < val.get(bestIndex).asDouble())) bestIndex = i;
        }
        if (best != null && best.isInt()) {
            m.put("best_epoch", best.asInt());
            m.put("best_epoch_from", "early stopping");
        } else if (bestIndex >= 0) {
            m.put("best_epoch", epochs.get("epoch").get(bestIndex).asInt());
            m.put("best_epoch_from", "lowest validation loss");
        }
        if (bestIndex >= 0) m.set("best_val_loss", val.get(bestIndex));
        return m;
    }

    /** Layer names are the doctor's module paths ("3", "2.1"); the label adds the kind of the top-level layer. */
    static ObjectNode withLabels(ObjectNode readings, List<String> kinds) {
        if (readings == null) return null;
        ArrayNode labels = readings.putArray("labels");
        for (JsonNode name : readings.get("names")) {
            String n = name.asText();
            String top = n.contains(".") ? n.substring(0, n.indexOf('.')) : n;
            String kind = null;
            try {
                int index = Integer.parseInt(top);
                if (index >= 0 && index < kinds.size()) kind = kinds.get(index);
            } catch (NumberFormatException e) {
                kind = null; // a named module: its name says enough
            }
            labels.add(kind == null ? n : n + " " + kind);
        }
        return readings;
    }

    /**
     * The run's repairs with the loss around each: before, the batch loss that triggered the repair (recorded as it
     * happened, NaN for a non-finite loss); after, the mean loss of the steps after the rollback point, as the run
     * finally recorded them.
     */
    static ArrayNode repairs(RunRecords records) {
        ArrayNode out = F.arrayNode();
        for (RepairRecord r : records.repairs()) {
            ObjectNode row = out.addObject();
            row.put("step", r.step());
            row.put("finding", r.finding());
            row.put("remedy", r.remedy());
            row.put("rolled_back_to", r.rolledBackTo());
            row.put("lr_scale", r.lrScaleAfter());
            if (r.lossBefore() != null) {
                if (Double.isFinite(r.lossBefore())) row.put("loss_before", r.lossBefore());
                else row.put("loss_before", "non-finite");
            }
            double after = records.meanLoss(r.rolledBackTo(), r.rolledBackTo() + AFTER_REPAIR_STEPS);
            if (Double.isFinite(after)) row.put("loss_after", after);
        }
        return out;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
