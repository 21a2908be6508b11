package dev.ravine.app.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.AdaptiveStepReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.doctor.provenance.NonFiniteProvenance;
import dev.ravine.train.EpochEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one reader of a run's {@code run.db} (tables: {@link RunSchema}), as typed values; what every command and the
 * report read a run through. It may be opened while the run is still being written (the store is in WAL mode): each
 * call sees everything committed so far. A table the run does not have (a run written by an older ravine) reads as
 * empty, never as an error.
 */
public final class RunRecords implements AutoCloseable {
    /**
     * Where runs recorded before run.db kept repair rows stored each repair's triggering loss (comma-separated, in
     * repair order); the repairs themselves were only in summary.json. Read, never written.
     */
    public static final String LEGACY_REPAIR_LOSS_META = "repair_loss_before";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path database;
    private final Connection db;

    private RunRecords(Path database, Connection db) {
        this.database = database;
        this.db = db;
    }

    public static RunRecords open(Path database) {
        if (!Files.isRegularFile(database)) {
            throw new RunStoreException("no run database at " + database + ": is this a run directory written by ravine train?", null);
        }
        try {
            return new RunRecords(database, RunSchema.connect(database));
        } catch (SQLException e) {
            throw new RunStoreException("cannot open the run database " + database + ": " + e.getMessage(), e);
        }
    }

    /** The run's facts (config, seed, status, sample counts, ...), in the order they were first written. */
    public Map<String, String> meta() {
        return read("meta", "SELECT key, value FROM meta", new LinkedHashMap<String, String>(), (rs, out) -> out.put(rs.getString(1), rs.getString(2)));
    }

    /** Every recorded step in step order (after a rollback, the replayed steps replaced the abandoned ones). */
    public List<StepRecord> steps() {
        return steps(Long.MIN_VALUE);
    }

    /** The recorded steps after {@code afterStep}, in step order: what a live reader has not seen yet. */
    public List<StepRecord> steps(long afterStep) {
        return read("steps", "SELECT step, epoch, batch, loss, accuracy, lr_scale FROM steps WHERE step > ? ORDER BY step", afterStep,
                new ArrayList<StepRecord>(),
                (rs, out) -> out.add(new StepRecord(rs.getLong(1), rs.getInt(2), rs.getInt(3), real(rs, 4), real(rs, 5), real(rs, 6))));
    }

    /** The newest recorded step, or null before the first one is committed. */
    public StepRecord latestStep() {
        List<StepRecord> last = read("steps", "SELECT step, epoch, batch, loss, accuracy, lr_scale FROM steps ORDER BY step DESC LIMIT 1",
                new ArrayList<StepRecord>(),
                (rs, out) -> out.add(new StepRecord(rs.getLong(1), rs.getInt(2), rs.getInt(3), real(rs, 4), real(rs, 5), real(rs, 6))));
        return last.isEmpty() ? null : last.getFirst();
    }

    /**
     * How far the run's records have come (newest step, row counts, newest event): two equal progress values mean
     * nothing new was committed in between, so a live reader polls this cheap query and reads rows only on a change.
     */
    public RunProgress progress() {
        return new RunProgress(max("steps", "step"), count("epochs"), max("events", "seq"), count("repairs"), count("findings"),
                max("curvature_readings", "step"), meta().getOrDefault("status", "unknown"));
    }

    private long max(String table, String column) {
        return read(table, "SELECT MAX(" + column + ") FROM " + table, new long[] {-1},
                (rs, out) -> out[0] = rs.getObject(1) == null ? -1 : rs.getLong(1))[0];
    }

    private int count(String table) {
        return read(table, "SELECT COUNT(*) FROM " + table, new int[1], (rs, out) -> out[0] = rs.getInt(1))[0];
    }

    public List<EpochEvent> epochs() {
        String sql = "SELECT epoch, step, train_loss, train_accuracy, val_loss, val_accuracy, seconds, samples_per_second FROM epochs ORDER BY epoch";
        return read("epochs", sql, new ArrayList<EpochEvent>(), (rs, out) -> out.add(new EpochEvent(rs.getInt(1), rs.getLong(2), real(rs, 3),
                real(rs, 4), real(rs, 5), real(rs, 6), real(rs, 7), real(rs, 8))));
    }

    /** The doctor's per-layer readings by step, steps ascending and layers in the order the doctor read them. */
    public Map<Long, List<LayerReading>> layerReadings() {
        return layerReadings(Long.MIN_VALUE);
    }

    /** The per-layer readings of the steps after {@code afterStep}. */
    public Map<Long, List<LayerReading>> layerReadings(long afterStep) {
        String sql = "SELECT step, layer, grad_norm, weight_norm, update_norm, update_ratio, non_finite FROM layer_readings WHERE step > ? "
                + "ORDER BY step, rowid";
        return read("layer_readings", sql, afterStep, new LinkedHashMap<Long, List<LayerReading>>(), (rs, out) -> out.computeIfAbsent(rs.getLong(1),
                k -> new ArrayList<>()).add(new LayerReading(rs.getString(2), real(rs, 3), real(rs, 4), real(rs, 5), real(rs, 6), rs.getInt(7))));
    }

    /** The doctor's per-layer-output (activation) readings by step, in the order the doctor read them. */
    public Map<Long, List<ActivationReading>> activationReadings() {
        return activationReadings(Long.MIN_VALUE);
    }

    /** The activation readings of the steps after {@code afterStep}. */
    public Map<Long, List<ActivationReading>> activationReadings(long afterStep) {
        String sql = "SELECT step, module, kind, mean, std, dead_fraction, saturated_fraction, non_finite, grad_norm, gsc"
                + " FROM activation_readings WHERE step > ? ORDER BY step, rowid";
        return read("activation_readings", sql, afterStep, new LinkedHashMap<Long, List<ActivationReading>>(), (rs, out) -> out.computeIfAbsent(rs.getLong(1),
                k -> new ArrayList<>()).add(new ActivationReading(rs.getString(2), rs.getString(3), real(rs, 4), real(rs, 5), real(rs, 6),
                real(rs, 7), rs.getInt(8), real(rs, 9), real(rs, 10))));
    }

    /** Adam's step-size readings by step (none for other optimizers). */
    public Map<Long, AdaptiveStepReading> adaptiveReadings() {
        String sql = "SELECT step, step_median, step_p99, step_max, v_median, v_min, sampled FROM adaptive_readings ORDER BY step";
        return read("adaptive_readings", sql, new LinkedHashMap<Long, AdaptiveStepReading>(), (rs, out) -> out.put(rs.getLong(1),
                new AdaptiveStepReading(real(rs, 2), real(rs, 3), real(rs, 4), real(rs, 5), real(rs, 6), rs.getInt(7))));
    }

    /**
     * One reading per recorded step, as the doctor's detectors take them: the loss of every step, with the full
     * per-layer readings (and the global gradient norm from them) where the doctor took them. The input of a replay.
     */
    public List<StepReading> readings() {
        Map<Long, List<LayerReading>> layers = layerReadings();
        Map<Long, List<ActivationReading>> activations = activationReadings();
        Map<Long, AdaptiveStepReading> adaptive = adaptiveReadings();
        List<StepReading> out = new ArrayList<>();
        for (StepRecord s : steps()) {
            List<LayerReading> l = layers.getOrDefault(s.step(), List.of());
            List<ActivationReading> a = activations.getOrDefault(s.step(), List.of());
            double global = Math.sqrt(l.stream().mapToDouble(x -> x.gradNorm() * x.gradNorm()).sum());
            out.add(new StepReading(s.step(), s.epoch() - 1, s.loss(), !l.isEmpty(), l.isEmpty() ? Double.NaN : global, l, a, adaptive.get(s.step())));
        }
        return out;
    }

    /** The curvature readings (none when the run measured no curvature). */
    public List<CurvatureReading> curvature() {
        return curvature(Long.MIN_VALUE);
    }

    /** The curvature readings of the steps after {@code afterStep}. */
    public List<CurvatureReading> curvature(long afterStep) {
        String sql = "SELECT step, sharpness, threshold, preconditioned_sharpness, preconditioned_threshold, hvps FROM curvature_readings "
                + "WHERE step > ? ORDER BY step";
        return read("curvature_readings", sql, afterStep, new ArrayList<CurvatureReading>(), (rs, out) -> out.add(new CurvatureReading(rs.getLong(1),
                real(rs, 2), real(rs, 3), real(rs, 4), real(rs, 5), rs.getLong(6))));
    }

    /** Every finding the run recorded, as the doctor last left it, ranked root cause first ({@link Findings#ranked}). */
    public List<Finding> findings() {
        String sql = "SELECT id, severity, first_step, last_step, layers, title, cause, evidence, remedies FROM findings";
        return Findings.ranked(read("findings", sql, new ArrayList<Finding>(), (rs, out) -> out.add(finding(rs))));
    }

    private static Finding finding(ResultSet rs) throws SQLException {
        List<Remedy> remedies = new ArrayList<>();
        for (String line : lines(rs.getString(9))) {
            String[] parts = line.split(" \\| ", 3);
            remedies.add(new Remedy(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? Remedy.parsePatches(parts[2]) : List.of()));
        }
        List<String> layers = rs.getString(5).isBlank() ? List.of() : Arrays.asList(rs.getString(5).split(","));
        return new Finding(rs.getString(1), rs.getString(6), Severity.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                rs.getLong(3), rs.getLong(4), layers, lines(rs.getString(8)), rs.getString(7), remedies);
    }

    /** Where the run's NaN/Inf values were made, one per failing step (a repaired run can fail more than once), oldest first. */
    public List<NonFiniteProvenance> provenance() {
        String sql = "SELECT failed_step, trigger, replayed_from, origin_step, phase, op, layer, parameter, detail, growth_start, growth"
                + " FROM nan_provenance ORDER BY failed_step";
        return read("nan_provenance", sql, new ArrayList<NonFiniteProvenance>(), (rs, out) -> out.add(new NonFiniteProvenance(rs.getLong(1),
                rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getLong(10), rs.getString(11))));
    }

    /**
     * The doctor's repairs in the order they were applied. A run recorded before run.db kept repair rows has them from
     * its summary.json, with the triggering losses from the meta value {@value #LEGACY_REPAIR_LOSS_META}.
     */
    public List<RepairRecord> repairs() {
        String sql = "SELECT step, finding, remedy, rolled_back_to, lr_scale_before, lr_scale_after, loss_before FROM repairs ORDER BY seq";
        List<RepairRecord> rows = read("repairs", sql, new ArrayList<RepairRecord>(), (rs, out) -> out.add(new RepairRecord(rs.getLong(1),
                rs.getString(2), rs.getString(3), rs.getLong(4), real(rs, 5), real(rs, 6), real(rs, 7))));
        return rows.isEmpty() ? legacyRepairs() : rows;
    }

    private List<RepairRecord> legacyRepairs() {
        Path summary = database.resolveSibling("summary.json");
        if (!Files.isRegularFile(summary)) return List.of();
        JsonNode repairs;
        try {
            repairs = JSON.readTree(summary.toFile()).get("repairs");
        } catch (IOException e) {
            throw new RunStoreException("cannot read the repairs in " + summary + ": " + e.getMessage(), e);
        }
        if (repairs == null || !repairs.isArray()) return List.of();
        String[] before = meta().getOrDefault(LEGACY_REPAIR_LOSS_META, "").split(",");
        List<RepairRecord> out = new ArrayList<>();
        for (int i = 0; i < repairs.size(); i++) {
            JsonNode r = repairs.get(i);
            Double loss = i < before.length && !before[i].isBlank() ? Double.parseDouble(before[i]) : null;
            out.add(new RepairRecord(r.path("step").asLong(), r.path("finding").asText(), r.path("remedy").asText(),
                    r.path("rolled_back_to").asLong(), Double.NaN, r.path("lr_scale").asDouble(), loss));
        }
        return out;
    }

    /** The held-out confusion matrix of a classification run, or null when the run has none. */
    public ConfusionRecord confusion() {
        String json = meta().get(RunSchema.CONFUSION_META);
        if (json == null) return null;
        try {
            JsonNode c = JSON.readTree(json);
            long[][] counts = JSON.treeToValue(c.get("counts"), long[][].class);
            return new ConfusionRecord(c.path("data").asText(), c.path("checkpoint").asText(), counts);
        } catch (IOException | RuntimeException e) {
            throw new RunStoreException("run.db meta " + RunSchema.CONFUSION_META + " of " + database + " is not a confusion matrix ("
                    + e.getMessage() + "); the run database is damaged", e);
        }
    }

    /** What happened when, in order (none for a run recorded before run.db kept events). */
    public List<RunEvent> events() {
        return read("events", "SELECT seq, at, step, kind, subject, detail FROM events ORDER BY seq", new ArrayList<RunEvent>(), (rs, out) -> {
            long step = rs.getLong(3);
            Long atStep = rs.wasNull() ? null : step;
            out.add(new RunEvent(rs.getLong(1), Instant.parse(rs.getString(2)), atStep, rs.getString(4), rs.getString(5), rs.getString(6)));
        });
    }

    /** The mean finite loss over steps {@code (from, to]}, or NaN when there is none. */
    public double meanLoss(long from, long to) {
        try (PreparedStatement s = db.prepareStatement("SELECT AVG(loss) FROM steps WHERE step > ? AND step <= ? AND loss IS NOT NULL")) {
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? real(rs, 1) : Double.NaN;
            }
        } catch (SQLException e) {
            throw failure("steps", e);
        }
    }

    private interface Row<T> {
        void add(ResultSet rs, T out) throws SQLException;
    }

    /** Runs {@code sql} over {@code table}, adding each row to {@code out}; an absent table leaves {@code out} empty. */
    private <T> T read(String table, String sql, T out, Row<T> row) {
        try {
            if (!RunSchema.hasTable(db, table)) return out;
            try (ResultSet rs = db.createStatement().executeQuery(sql)) {
                while (rs.next()) row.add(rs, out);
            }
            return out;
        } catch (SQLException e) {
            throw failure(table, e);
        }
    }

    /** As the read above, with one {@code ?} in {@code sql} bound to {@code value}. */
    private <T> T read(String table, String sql, long value, T out, Row<T> row) {
        try {
            if (!RunSchema.hasTable(db, table)) return out;
            try (PreparedStatement s = db.prepareStatement(sql)) {
                s.setLong(1, value);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) row.add(rs, out);
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(table, e);
        }
    }

    private RunStoreException failure(String table, SQLException e) {
        return new RunStoreException("cannot read " + table + " from the run database " + database + ": " + e.getMessage(), e);
    }

    private static List<String> lines(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.split("\n"));
    }

    /** SQL NULL (a metric that did not exist, or a non-finite value) reads back as NaN. */
    private static double real(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new RunStoreException("cannot close the run database " + database + ": " + e.getMessage(), e);
        }
    }
}
