package dev.ravine.app.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.store.RunRecords;
import dev.ravine.app.store.StepRecord;
import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.train.EpochEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's records ({@link RunRecords}) as the columns the report's charts draw: all of them for the report, the rows
 * after a step for the dashboard's live updates ({@link ReportDelta}). What a run does not have (an older
 * run without the doctor's readings, a run without curvature readings) reads as absent, never as an error. Values are
 * stored as floats (the charts need no more digits) and a metric that did not exist or was NaN/Inf as JSON null.
 */
final class RunTables {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RunTables() {}

    /** {step, loss, stride, nonfinite}: the loss of every kept step, and every step whose loss was NaN/Inf (stored NULL). */
    static ObjectNode steps(List<StepRecord> steps, int maxPoints) {
        ArrayNode nonFinite = F.arrayNode();
        for (StepRecord s : steps) if (Double.isNaN(s.loss())) nonFinite.add(s.step());
        Thinning keep = Thinning.of(steps.size(), maxPoints);
        ArrayNode step = F.arrayNode();
        ArrayNode loss = F.arrayNode();
        for (int i = 0; i < steps.size(); i++) {
            if (!keep.keeps(i)) continue;
            step.add(steps.get(i).step());
            addReal(loss, steps.get(i).loss());
        }
        ObjectNode out = F.objectNode();
        out.set("step", step);
        out.set("loss", loss);
        out.put("stride", keep.stride());
        out.put("count", steps.size());
        out.set("nonfinite", nonFinite);
        return out;
    }

    /** {epoch, step, train_loss, train_accuracy, val_loss, val_accuracy}, one entry per finished epoch. */
    static ObjectNode epochs(List<EpochEvent> epochs) {
        ObjectNode out = F.objectNode();
        ArrayNode epoch = out.putArray("epoch");
        ArrayNode step = out.putArray("step");
        ArrayNode trainLoss = out.putArray("train_loss");
        ArrayNode trainAccuracy = out.putArray("train_accuracy");
        ArrayNode valLoss = out.putArray("val_loss");
        ArrayNode valAccuracy = out.putArray("val_accuracy");
        for (EpochEvent e : epochs) {
            epoch.add(e.epoch());
            step.add(e.step());
            addReal(trainLoss, e.trainLoss());
            addReal(trainAccuracy, e.trainAccuracy());
            addReal(valLoss, e.valLoss());
            addReal(valAccuracy, e.valAccuracy());
        }
        return out;
    }

    /**
     * {step, stride, names, grad_norm, update_ratio}: the doctor's per-layer readings as one row per layer (in the
     * order the doctor reads them) and one column per kept reading step; null where a layer had no reading.
     */
    static ObjectNode layers(Map<Long, List<LayerReading>> readings, int maxColumns) {
        Grid grid = new Grid(2);
        readings.forEach((step, layers) -> {
            for (LayerReading l : layers) grid.put(step, l.layer(), l.gradNorm(), l.updateRatio());
        });
        if (grid.steps.isEmpty()) return null;
        ObjectNode out = grid.toJson(maxColumns);
        out.set("grad_norm", out.remove("measure0"));
        out.set("update_ratio", out.remove("measure1"));
        return out;
    }

    /**
     * {step, stride, names, kinds, dead_fraction, saturated_fraction}: per activation module (ReLU dead fraction,
     * sigmoid/tanh saturated fraction; null where the module has no such measure).
     */
    static ObjectNode activations(Map<Long, List<ActivationReading>> readings, int maxColumns) {
        Grid grid = new Grid(2);
        Map<String, String> kinds = new LinkedHashMap<>();
        readings.forEach((step, activations) -> {
            for (ActivationReading a : activations) {
                kinds.putIfAbsent(a.module(), a.kind());
                grid.put(step, a.module(), a.deadFraction(), a.saturatedFraction());
            }
        });
        if (grid.steps.isEmpty()) return null;
        ObjectNode out = grid.toJson(maxColumns);
        ArrayNode k = out.putArray("kinds");
        for (String name : grid.names) k.add(kinds.get(name));
        out.set("dead_fraction", out.remove("measure0"));
        out.set("saturated_fraction", out.remove("measure1"));
        return out;
    }

    /** The curvature readings (sharpness against its stability threshold), or null when the run has none. */
    static ObjectNode curvature(List<CurvatureReading> rows, int maxPoints) {
        if (rows.isEmpty()) return null;
        Thinning keep = Thinning.of(rows.size(), maxPoints);
        ObjectNode out = F.objectNode();
        ArrayNode step = out.putArray("step");
        ArrayNode sharpness = out.putArray("sharpness");
        ArrayNode threshold = out.putArray("threshold");
        ArrayNode preconditioned = out.putArray("preconditioned_sharpness");
        ArrayNode preconditionedThreshold = out.putArray("preconditioned_threshold");
        ArrayNode hvps = out.putArray("hvps");
        for (int i = 0; i < rows.size(); i++) {
            if (!keep.keeps(i)) continue;
            CurvatureReading c = rows.get(i);
            step.add(c.step());
            addReal(sharpness, c.sharpness());
            addReal(threshold, c.threshold());
            addReal(preconditioned, c.preconditionedSharpness());
            addReal(preconditionedThreshold, c.preconditionedThreshold());
            hvps.add(c.hvps());
        }
        out.put("stride", keep.stride());
        return out;
    }

    /**
     * The findings ranked root cause first, as RunRecords reads them ({@link dev.ravine.doctor.finding.Findings#ranked}, the
     * order of summary.json, run.db and ravine doctor): evidence and remedies as lists, a remedy as {change, why, patches}.
     */
    static ArrayNode findings(List<Finding> findings) {
        ArrayNode out = F.arrayNode();
        for (Finding finding : findings) {
            ObjectNode f = out.addObject();
            f.put("id", finding.id());
            f.put("severity", finding.severity().name().toLowerCase(java.util.Locale.ROOT));
            f.put("first_step", finding.firstStep());
            f.put("last_step", finding.lastStep());
            ArrayNode layers = f.putArray("layers");
            for (String l : finding.layers()) if (!l.isBlank()) layers.add(l);
            f.put("title", finding.title());
            f.put("cause", finding.cause());
            ArrayNode evidence = f.putArray("evidence");
            for (String e : finding.evidence()) if (!e.isBlank()) evidence.add(e);
            ArrayNode remedies = f.putArray("remedies");
            for (Remedy r : finding.remedies()) {
                ObjectNode remedy = remedies.addObject();
                remedy.put("change", r.change());
                remedy.put("why", r.why());
                ArrayNode patches = remedy.putArray("patches");
                for (var p : r.patches()) patches.add(p.toString());
            }
        }
        return out;
    }

    static void addReal(ArrayNode array, double v) {
        if (Double.isFinite(v)) array.add((float) v);
        else array.addNull();
    }

    /** Readings keyed by (step, name): names in first-seen order, steps ascending, a few measures per cell. */
    private static final class Grid {
        final List<Long> steps = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final Map<Long, Map<String, double[]>> cells = new LinkedHashMap<>();
        final int measures;

        Grid(int measures) {
            this.measures = measures;
        }

        void put(long step, String name, double... values) {
            if (!names.contains(name)) names.add(name);
            Map<String, double[]> row = cells.get(step);
            if (row == null) {
                row = new LinkedHashMap<>();
                cells.put(step, row);
                steps.add(step);
            }
            row.put(name, values);
        }

        /** {step, stride, names, measure0..}: measureK[nameIndex][column]. */
        ObjectNode toJson(int maxColumns) {
            Thinning keep = Thinning.of(steps.size(), maxColumns);
            ObjectNode out = F.objectNode();
            ArrayNode step = out.putArray("step");
            out.put("stride", keep.stride());
            ArrayNode n = out.putArray("names");
            names.forEach(n::add);
            List<ArrayNode> rows = new ArrayList<>();
            for (int m = 0; m < measures; m++) {
                ArrayNode measure = out.putArray("measure" + m);
                for (int i = 0; i < names.size(); i++) rows.add(measure.addArray());
            }
            for (int c = 0; c < steps.size(); c++) {
                if (!keep.keeps(c)) continue;
                long s = steps.get(c);
                step.add(s);
                Map<String, double[]> row = cells.get(s);
                for (int m = 0; m < measures; m++) {
                    for (int i = 0; i < names.size(); i++) {
                        double[] v = row.get(names.get(i));
                        addReal(rows.get(m * names.size() + i), v == null ? Double.NaN : v[m]);
                    }
                }
            }
            return out;
        }
    }
}
