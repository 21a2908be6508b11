package dev.ravine.app.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of a run's {@code run.db} as the columns the report's charts draw. Tables a run does not have (an older
 * run without the doctor's readings, a run without curvature readings) read as absent, never as an error. Values are
 * stored as floats (the charts need no more digits) and SQL NULL, a metric that did not exist or was NaN/Inf, as JSON
 * null.
 */
final class RunTables {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Connection db;

    RunTables(Connection db) {
        this.db = db;
    }

    boolean hasTable(String name) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    Map<String, String> meta() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!hasTable("meta")) return out;
        try (ResultSet rs = db.createStatement().executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    /** {step, loss, stride, nonfinite}: the loss of every kept step, and every step whose loss was NaN/Inf (stored NULL). */
    ObjectNode steps(int maxPoints) throws SQLException {
        List<Long> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        ArrayNode nonFinite = F.arrayNode();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT step, loss FROM steps ORDER BY step")) {
            while (rs.next()) {
                double loss = real(rs, 2);
                steps.add(rs.getLong(1));
                losses.add(loss);
                if (Double.isNaN(loss)) nonFinite.add(rs.getLong(1));
            }
        }
        Thinning keep = Thinning.of(steps.size(), maxPoints);
        ArrayNode step = F.arrayNode();
        ArrayNode loss = F.arrayNode();
        for (int i = 0; i < steps.size(); i++) {
            if (!keep.keeps(i)) continue;
            step.add(steps.get(i));
            addReal(loss, losses.get(i));
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
    ObjectNode epochs() throws SQLException {
        String[] names = {"epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy"};
        ObjectNode out = F.objectNode();
        for (String n : names) out.putArray(n);
        String sql = "SELECT epoch, step, train_loss, train_accuracy, val_loss, val_accuracy FROM epochs ORDER BY epoch";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                ((ArrayNode) out.get("epoch")).add(rs.getInt(1));
                ((ArrayNode) out.get("step")).add(rs.getLong(2));
                for (int c = 3; c <= names.length; c++) addReal((ArrayNode) out.get(names[c - 1]), real(rs, c));
            }
        }
        return out;
    }

    /**
     * {step, stride, names, grad_norm, update_ratio}: the doctor's per-layer readings as one row per layer (in the
     * order the doctor reads them) and one column per kept reading step; null where a layer had no reading.
     */
    ObjectNode layers(int maxColumns) throws SQLException {
        if (!hasTable("layer_readings")) return null;
        String sql = "SELECT step, layer, grad_norm, update_ratio FROM layer_readings ORDER BY step, rowid";
        Grid grid = new Grid(2);
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) grid.put(rs.getLong(1), rs.getString(2), real(rs, 3), real(rs, 4));
        }
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
    ObjectNode activations(int maxColumns) throws SQLException {
        if (!hasTable("activation_readings")) return null;
        String sql = "SELECT step, module, kind, dead_fraction, saturated_fraction FROM activation_readings ORDER BY step, rowid";
        Grid grid = new Grid(2);
        Map<String, String> kinds = new LinkedHashMap<>();
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                kinds.putIfAbsent(rs.getString(2), rs.getString(3));
                grid.put(rs.getLong(1), rs.getString(2), real(rs, 4), real(rs, 5));
            }
        }
        if (grid.steps.isEmpty()) return null;
        ObjectNode out = grid.toJson(maxColumns);
        ArrayNode k = out.putArray("kinds");
        for (String name : grid.names) k.add(kinds.get(name));
        out.set("dead_fraction", out.remove("measure0"));
        out.set("saturated_fraction", out.remove("measure1"));
        return out;
    }

    /** The curvature readings (sharpness against its stability threshold), or null when the run has none. */
    ObjectNode curvature(int maxPoints) throws SQLException {
        if (!hasTable("curvature_readings")) return null;
        String[] names = {"step", "sharpness", "threshold", "preconditioned_sharpness", "preconditioned_threshold", "hvps"};
        List<double[]> rows = new ArrayList<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT " + String.join(", ", names) + " FROM curvature_readings ORDER BY step")) {
            while (rs.next()) {
                double[] row = new double[names.length];
                for (int c = 0; c < names.length; c++) row[c] = real(rs, c + 1);
                rows.add(row);
            }
        }
        if (rows.isEmpty()) return null;
        Thinning keep = Thinning.of(rows.size(), maxPoints);
        ObjectNode out = F.objectNode();
        for (String n : names) out.putArray(n);
        for (int i = 0; i < rows.size(); i++) {
            if (!keep.keeps(i)) continue;
            double[] row = rows.get(i);
            ((ArrayNode) out.get("step")).add((long) row[0]);
            for (int c = 1; c < names.length - 1; c++) addReal((ArrayNode) out.get(names[c]), row[c]);
            if (Double.isNaN(row[names.length - 1])) ((ArrayNode) out.get("hvps")).addNull();
            else ((ArrayNode) out.get("hvps")).add((long) row[names.length - 1]);
        }
        out.put("stride", keep.stride());
        return out;
    }

    /** The findings table: evidence one per line, remedies one per line as "change | why". */
    ArrayNode findings() throws SQLException {
        ArrayNode out = F.arrayNode();
        if (!hasTable("findings")) return out;
        String sql = "SELECT id, severity, first_step, last_step, layers, title, cause, evidence, remedies FROM findings"
                + " ORDER BY CASE severity WHEN 'blocking' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, first_step, id";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                ObjectNode f = out.addObject();
                f.put("id", rs.getString(1));
                f.put("severity", rs.getString(2));
                f.put("first_step", rs.getLong(3));
                f.put("last_step", rs.getLong(4));
                ArrayNode layers = f.putArray("layers");
                for (String l : lines(rs.getString(5), ",")) layers.add(l);
                f.put("title", rs.getString(6));
                f.put("cause", rs.getString(7));
                ArrayNode evidence = f.putArray("evidence");
                for (String e : lines(rs.getString(8), "\n")) evidence.add(e);
                ArrayNode remedies = f.putArray("remedies");
                for (String r : lines(rs.getString(9), "\n")) {
                    int bar = r.indexOf(" | ");
                    ObjectNode remedy = remedies.addObject();
                    remedy.put("change", bar < 0 ? r : r.substring(0, bar));
                    remedy.put("why", bar < 0 ? "" : r.substring(bar + 3));
                }
            }
        }
        return out;
    }

    /** The mean finite loss over steps {@code (from, to]}, or NaN when there is none. */
    double meanLoss(long from, long to) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT AVG(loss) FROM steps WHERE step > ? AND step <= ? AND loss IS NOT NULL")) {
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? real(rs, 1) : Double.NaN;
            }
        }
    }

    private static List<String> lines(String text, String separator) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split(java.util.regex.Pattern.quote(separator))) if (!part.isBlank()) out.add(part);
        return out;
    }

    static void addReal(ArrayNode array, double v) {
        if (Double.isFinite(v)) array.add((float) v);
        else array.addNull();
    }

    private static double real(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
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
