package dev.ravine.app.store;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.AdaptiveStepReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.train.EpochEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished (or stopped) run read back from its {@code run.db}: the loss of every step, the doctor's full readings
 * where it took them, the epochs, and the metadata. The input of {@code ravine doctor RUN_DIR}.
 */
public record StoredRun(List<StepReading> readings, List<EpochEvent> epochs, Map<String, String> meta, List<CurvatureReading> curvature) {

    public static StoredRun read(Path database) {
        if (!Files.isRegularFile(database)) {
            throw new RunStoreException("no run database at " + database + ": is this a run directory written by ravine train?", null);
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            Map<Long, List<LayerReading>> layers = layers(db);
            Map<Long, List<ActivationReading>> activations = activations(db);
            Map<Long, AdaptiveStepReading> adaptive = adaptive(db);
            List<StepReading> readings = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("SELECT step, epoch, loss FROM steps ORDER BY step")) {
                while (rs.next()) {
                    long step = rs.getLong(1);
                    List<LayerReading> l = layers.getOrDefault(step, List.of());
                    List<ActivationReading> a = activations.getOrDefault(step, List.of());
                    double global = Math.sqrt(l.stream().mapToDouble(x -> x.gradNorm() * x.gradNorm()).sum());
                    readings.add(new StepReading(step, rs.getInt(2) - 1, real(rs, 3), !l.isEmpty(), l.isEmpty() ? Double.NaN : global, l, a,
                            adaptive.get(step)));
                }
            }
            return new StoredRun(readings, epochs(db), meta(db), curvature(db));
        } catch (SQLException e) {
            throw new RunStoreException("cannot read the run database " + database + ": " + e.getMessage(), e);
        }
    }

    private static Map<Long, List<LayerReading>> layers(Connection db) throws SQLException {
        Map<Long, List<LayerReading>> out = new LinkedHashMap<>();
        String sql = "SELECT step, layer, grad_norm, weight_norm, update_norm, update_ratio, non_finite FROM layer_readings ORDER BY step, rowid";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new LayerReading(rs.getString(2), real(rs, 3), real(rs, 4), real(rs, 5), real(rs, 6), rs.getInt(7)));
            }
        }
        return out;
    }

    private static Map<Long, List<ActivationReading>> activations(Connection db) throws SQLException {
        Map<Long, List<ActivationReading>> out = new LinkedHashMap<>();
        String sql = "SELECT step, module, kind, mean, std, dead_fraction, saturated_fraction, non_finite, grad_norm, gsc"
                + " FROM activation_readings ORDER BY step, rowid";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ActivationReading(rs.getString(2), rs.getString(3),
                        real(rs, 4), real(rs, 5), real(rs, 6), real(rs, 7), rs.getInt(8), real(rs, 9), real(rs, 10)));
            }
        }
        return out;
    }

    /** Adam's step-size readings by step (none for other optimizers, or a run that predates the table). */
    private static Map<Long, AdaptiveStepReading> adaptive(Connection db) throws SQLException {
        Map<Long, AdaptiveStepReading> out = new LinkedHashMap<>();
        try (ResultSet t = db.createStatement().executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'adaptive_readings'")) {
            if (!t.next()) return out;
        }
        String sql = "SELECT step, step_median, step_p99, step_max, v_median, v_min, sampled FROM adaptive_readings ORDER BY step";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getLong(1), new AdaptiveStepReading(real(rs, 2), real(rs, 3), real(rs, 4), real(rs, 5), real(rs, 6), rs.getInt(7)));
            }
        }
        return out;
    }

    private static List<EpochEvent> epochs(Connection db) throws SQLException {
        List<EpochEvent> out = new ArrayList<>();
        String sql = "SELECT epoch, step, train_loss, train_accuracy, val_loss, val_accuracy, seconds, samples_per_second FROM epochs ORDER BY epoch";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(new EpochEvent(rs.getInt(1), rs.getLong(2), real(rs, 3), real(rs, 4), real(rs, 5), real(rs, 6), real(rs, 7), real(rs, 8)));
            }
        }
        return out;
    }

    /** The curvature readings (none when the run measured no curvature, or predates the table). */
    private static List<CurvatureReading> curvature(Connection db) throws SQLException {
        List<CurvatureReading> out = new ArrayList<>();
        try (ResultSet t = db.createStatement().executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'curvature_readings'")) {
            if (!t.next()) return out;
        }
        String sql = "SELECT step, sharpness, threshold, preconditioned_sharpness, preconditioned_threshold, hvps FROM curvature_readings ORDER BY step";
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(new CurvatureReading(rs.getLong(1), real(rs, 2), real(rs, 3), real(rs, 4), real(rs, 5), rs.getLong(6)));
        }
        return out;
    }

    private static Map<String, String> meta(Connection db) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    /** SQL NULL (a metric that did not exist, or a non-finite value) reads back as NaN. */
    private static double real(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
