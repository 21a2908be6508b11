package dev.ravine.app.store;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.AdaptiveStepReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics in SQLite ({@code run.db}), written as the trainer reports them:
 * <pre>
 * steps(step, epoch, batch, loss, accuracy, lr_scale)      one row per optimizer step; epoch and batch count from 1
 * epochs(epoch, step, train_loss, train_accuracy, val_loss, val_accuracy, seconds, samples_per_second)
 * meta(key, value)                                         the run's facts: config, seed, status, ...
 * pretrain(layer, epoch, reconstruction_error, train_free_energy, held_out_free_energy, seconds)
 *                                                          with {@code pretrain}: one row per RBM epoch
 * curvature_readings(step, sharpness, threshold, preconditioned_sharpness, preconditioned_threshold, hvps)
 *                                                          the doctor's curvature monitor (doctor.curvature_every)
 * adaptive_readings(step, step_median, step_p99, step_max, v_median, v_min, sampled)
 *                                                          Adam runs: the effective steps lr/(sqrt(v_hat)+eps) and v_hat
 * </pre>
 * Step rows are buffered and inserted in one transaction per {@value #FLUSH_ROWS} rows and at each epoch's end: a
 * commit forces the journal to disk, and one per step would cost more than a small model's step itself. NaN (no
 * validation set, no accuracy for regression) is stored as NULL.
 */
public final class RunStore implements TrainingListener, AutoCloseable {
    static final int FLUSH_ROWS = 500;

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS findings(id TEXT PRIMARY KEY, severity TEXT NOT NULL, first_step INTEGER NOT NULL,
                last_step INTEGER NOT NULL, layers TEXT NOT NULL, title TEXT NOT NULL, cause TEXT NOT NULL, evidence TEXT NOT NULL,
                remedies TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS steps(step INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, batch INTEGER NOT NULL,
                loss REAL, accuracy REAL, lr_scale REAL);
            CREATE TABLE IF NOT EXISTS layer_readings(step INTEGER NOT NULL, layer TEXT NOT NULL, grad_norm REAL, weight_norm REAL,
                update_norm REAL, update_ratio REAL, non_finite INTEGER NOT NULL, PRIMARY KEY(step, layer));
            CREATE TABLE IF NOT EXISTS activation_readings(step INTEGER NOT NULL, module TEXT NOT NULL, kind TEXT NOT NULL, mean REAL,
                std REAL, dead_fraction REAL, saturated_fraction REAL, non_finite INTEGER NOT NULL, grad_norm REAL, gsc REAL,
                PRIMARY KEY(step, module));
            CREATE TABLE IF NOT EXISTS curvature_readings(step INTEGER PRIMARY KEY, sharpness REAL, threshold REAL,
                preconditioned_sharpness REAL, preconditioned_threshold REAL, hvps INTEGER);
            CREATE TABLE IF NOT EXISTS adaptive_readings(step INTEGER PRIMARY KEY, step_median REAL, step_p99 REAL, step_max REAL,
                v_median REAL, v_min REAL, sampled INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS epochs(epoch INTEGER PRIMARY KEY, step INTEGER NOT NULL, train_loss REAL, train_accuracy REAL,
                val_loss REAL, val_accuracy REAL, seconds REAL, samples_per_second REAL);
            """;

    private final Connection db;
    private final PreparedStatement insertStep;
    private final PreparedStatement insertEpoch;
    private final PreparedStatement putMeta;
    private final List<BatchEvent> pending = new ArrayList<>();
    private final PreparedStatement insertLayer;
    private final PreparedStatement insertActivation;
    private final List<StepReading> pendingReadings = new ArrayList<>();
    private final PreparedStatement insertCurvature;
    private final PreparedStatement insertAdaptive;
    private final List<CurvatureReading> pendingCurvature = new ArrayList<>();

    private RunStore(Connection db) throws SQLException {
        this.db = db;
        try (Statement s = db.createStatement()) {
            for (String sql : SCHEMA.split(";")) if (!sql.isBlank()) s.execute(sql);
        }
        db.setAutoCommit(false);
        // A rollback to a checkpoint replays steps: the newer row replaces the older.
        insertStep = db.prepareStatement("INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?, ?, ?)");
        insertEpoch = db.prepareStatement("INSERT OR REPLACE INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        putMeta = db.prepareStatement("INSERT OR REPLACE INTO meta VALUES (?, ?)");
        insertLayer = db.prepareStatement("INSERT OR REPLACE INTO layer_readings VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertActivation = db.prepareStatement("INSERT OR REPLACE INTO activation_readings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertCurvature = db.prepareStatement("INSERT OR REPLACE INTO curvature_readings VALUES (?, ?, ?, ?, ?, ?)");
        insertAdaptive = db.prepareStatement("INSERT OR REPLACE INTO adaptive_readings VALUES (?, ?, ?, ?, ?, ?, ?)");
    }

    /** Keeps a curvature reading (NULL for a value that does not apply), written with the next flush. */
    public void putCurvature(CurvatureReading c) {
        pendingCurvature.add(c);
    }

    private void flushCurvature() throws SQLException {
        for (CurvatureReading c : pendingCurvature) {
            insertCurvature.setLong(1, c.step());
            real(insertCurvature, 2, c.sharpness());
            real(insertCurvature, 3, c.threshold());
            real(insertCurvature, 4, c.preconditionedSharpness());
            real(insertCurvature, 5, c.preconditionedThreshold());
            insertCurvature.setLong(6, c.hvps());
            insertCurvature.addBatch();
        }
        insertCurvature.executeBatch();
        pendingCurvature.clear();
    }

    /** Keeps the doctor's full readings (per layer and per layer output), so `ravine doctor RUN_DIR` can re-analyse the run. */
    public void putReading(StepReading r) {
        if (r.full()) pendingReadings.add(r);
    }

    private void flushReadings() throws SQLException {
        for (StepReading r : pendingReadings) {
            for (LayerReading l : r.layers()) {
                insertLayer.setLong(1, r.step());
                insertLayer.setString(2, l.layer());
                real(insertLayer, 3, l.gradNorm());
                real(insertLayer, 4, l.weightNorm());
                real(insertLayer, 5, l.updateNorm());
                real(insertLayer, 6, l.updateRatio());
                insertLayer.setInt(7, l.nonFinite());
                insertLayer.addBatch();
            }
            for (ActivationReading a : r.activations()) {
                insertActivation.setLong(1, r.step());
                insertActivation.setString(2, a.module());
                insertActivation.setString(3, a.kind());
                real(insertActivation, 4, a.mean());
                real(insertActivation, 5, a.std());
                real(insertActivation, 6, a.deadFraction());
                real(insertActivation, 7, a.saturatedFraction());
                insertActivation.setInt(8, a.nonFinite());
                real(insertActivation, 9, a.gradNorm());
                real(insertActivation, 10, a.gsc());
                insertActivation.addBatch();
            }
        }
        for (StepReading r : pendingReadings) {
            AdaptiveStepReading a = r.adaptive();
            if (a == null) continue;
            insertAdaptive.setLong(1, r.step());
            real(insertAdaptive, 2, a.stepMedian());
            real(insertAdaptive, 3, a.stepP99());
            real(insertAdaptive, 4, a.stepMax());
            real(insertAdaptive, 5, a.vMedian());
            real(insertAdaptive, 6, a.vMin());
            insertAdaptive.setInt(7, a.sampled());
            insertAdaptive.addBatch();
        }
        insertLayer.executeBatch();
        insertActivation.executeBatch();
        insertAdaptive.executeBatch();
        pendingReadings.clear();
    }

    public static RunStore create(Path file) {
        try {
            return new RunStore(DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        } catch (SQLException e) {
            throw new RunStoreException("cannot create the run database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets meta keys (replacing earlier values) in one transaction. */
    public void putMeta(Map<String, String> entries) {
        try {
            for (var e : entries.entrySet()) {
                putMeta.setString(1, e.getKey());
                putMeta.setString(2, e.getValue());
                putMeta.addBatch();
            }
            putMeta.executeBatch();
            db.commit();
        } catch (SQLException e) {
            throw new RunStoreException("cannot write run metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        pending.add(event);
        if (pending.size() >= FLUSH_ROWS) flush();
    }

    /** The step whose loss was NaN/Inf is kept too (loss NULL, batch 0), so a re-analysis sees where the run broke. */
    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        pending.add(new BatchEvent(step, epoch, -1, 0, 0, loss, Double.NaN, trainer.optimizer().lrScale()));
        flush();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent e) {
        flush();
        try {
            insertEpoch.setInt(1, e.epoch());
            insertEpoch.setLong(2, e.step());
            real(insertEpoch, 3, e.trainLoss());
            real(insertEpoch, 4, e.trainAccuracy());
            real(insertEpoch, 5, e.valLoss());
            real(insertEpoch, 6, e.valAccuracy());
            real(insertEpoch, 7, e.epochSeconds());
            real(insertEpoch, 8, e.samplesPerSecond());
            insertEpoch.executeUpdate();
            db.commit();
        } catch (SQLException ex) {
            throw new RunStoreException("cannot write epoch " + e.epoch() + " to the run database: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer, TrainingResult result) {
        flush();
    }

    /** The doctor's findings as they stand at the end of the run, one row per finding id (evidence and remedies one per line). */
    public void putFindings(java.util.List<dev.ravine.doctor.finding.Finding> findings) {
        try (PreparedStatement s = db.prepareStatement("INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (dev.ravine.doctor.finding.Finding f : findings) {
                s.setString(1, f.id());
                s.setString(2, f.severity().name().toLowerCase());
                s.setLong(3, f.firstStep());
                s.setLong(4, f.lastStep());
                s.setString(5, String.join(",", f.layers()));
                s.setString(6, f.title());
                s.setString(7, f.cause());
                s.setString(8, String.join("\n", f.evidence()));
                s.setString(9, String.join("\n", f.remedies().stream().map(r -> r.change() + " | " + r.why()).toList()));
                s.addBatch();
            }
            s.executeBatch();
            db.commit();
        } catch (SQLException e) {
            throw new RunStoreException("cannot write findings to the run database: " + e.getMessage(), e);
        }
    }

    /** One epoch of RBM pre-training of the linear layer {@code layer} (its module name, e.g. "1"). */
    public void putPretrainEpoch(String layer, dev.ravine.pretrain.RbmEpoch e) {
        try (Statement create = db.createStatement()) {
            // made on first use, so runs without pretrain have no empty table
            create.execute("CREATE TABLE IF NOT EXISTS pretrain(layer TEXT NOT NULL, epoch INTEGER NOT NULL, reconstruction_error REAL, "
                    + "train_free_energy REAL, held_out_free_energy REAL, seconds REAL, PRIMARY KEY(layer, epoch))");
        } catch (SQLException ex) {
            throw new RunStoreException("cannot create the pretrain table in the run database: " + ex.getMessage(), ex);
        }
        try (PreparedStatement s = db.prepareStatement("INSERT OR REPLACE INTO pretrain VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, layer);
            s.setInt(2, e.epoch());
            real(s, 3, e.reconstructionError());
            real(s, 4, e.trainFreeEnergy());
            real(s, 5, e.heldOutFreeEnergy());
            real(s, 6, e.seconds());
            s.executeUpdate();
            db.commit();
        } catch (SQLException ex) {
            throw new RunStoreException("cannot write pre-training epoch " + e.epoch() + " of layer " + layer
                    + " to the run database: " + ex.getMessage(), ex);
        }
    }

    /** Writes the buffered step rows in one transaction. */
    public void flush() {
        if (pending.isEmpty() && pendingReadings.isEmpty() && pendingCurvature.isEmpty()) return;
        try {
            flushReadings();
            flushCurvature();
            for (BatchEvent e : pending) {
                insertStep.setLong(1, e.step());
                insertStep.setInt(2, e.epoch() + 1);
                insertStep.setInt(3, e.batchIndex() + 1);
                real(insertStep, 4, e.loss());
                real(insertStep, 5, e.accuracy());
                real(insertStep, 6, e.learningRateScale());
                insertStep.addBatch();
            }
            insertStep.executeBatch();
            db.commit();
            pending.clear();
        } catch (SQLException e) {
            throw new RunStoreException("cannot write steps to the run database: " + e.getMessage(), e);
        }
    }

    private static void real(PreparedStatement s, int index, double v) throws SQLException {
        if (Double.isFinite(v)) s.setDouble(index, v);
        else s.setNull(index, java.sql.Types.REAL);
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            try {
                db.close();
            } catch (SQLException e) {
                throw new RunStoreException("cannot close the run database: " + e.getMessage(), e);
            }
        }
    }
}
