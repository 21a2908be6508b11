package dev.ravine.app.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.AdaptiveStepReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.doctor.provenance.NonFiniteProvenance;
import dev.ravine.doctor.repair.RepairAction;
import dev.ravine.pretrain.RbmEpoch;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one writer of a run's {@code run.db} (tables: {@link RunSchema}), fed as the run goes: the trainer's steps and
 * epochs (it is a {@link TrainingListener}), the doctor's readings, findings as they open and close (it is a
 * {@link Doctor.FindingListener}), repairs as they are applied, and the run's events and facts.
 *
 * <p>Step rows and readings are buffered and inserted in one transaction per {@value #FLUSH_ROWS} rows, at each
 * epoch's end and before each checkpoint is written (so after a kill run.db holds every step up to the newest
 * checkpoint), and with {@link #flushEvery} at least that often: one transaction per step would cost more than a small
 * model's step itself. Findings, repairs, events and
 * meta are few and are committed as they happen, so a reader sees them while the run goes on.
 */
public final class RunStore implements TrainingListener, Doctor.FindingListener, AutoCloseable {
    static final int FLUSH_ROWS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

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
    private final PreparedStatement insertFinding;
    private final PreparedStatement insertRepair;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertProbe;
    private final PreparedStatement insertProvenance;
    private long flushIntervalNanos;
    private long lastFlushNanos = System.nanoTime();

    private RunStore(Connection db) throws SQLException {
        this.db = db;
        RunSchema.create(db);
        db.setAutoCommit(false);
        // A rollback to a checkpoint replays steps: the newer row replaces the older.
        insertStep = db.prepareStatement("INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?, ?, ?)");
        insertEpoch = db.prepareStatement("INSERT OR REPLACE INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        putMeta = db.prepareStatement("INSERT OR REPLACE INTO meta VALUES (?, ?)");
        insertLayer = db.prepareStatement("INSERT OR REPLACE INTO layer_readings VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertActivation = db.prepareStatement("INSERT OR REPLACE INTO activation_readings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertCurvature = db.prepareStatement("INSERT OR REPLACE INTO curvature_readings VALUES (?, ?, ?, ?, ?, ?)");
        insertAdaptive = db.prepareStatement("INSERT OR REPLACE INTO adaptive_readings VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertFinding = db.prepareStatement("INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertRepair = db.prepareStatement("INSERT INTO repairs(step, finding, remedy, rolled_back_to, lr_scale_before, lr_scale_after, "
                + "loss_before) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertEvent = db.prepareStatement("INSERT INTO events(at, step, kind, subject, detail) VALUES (?, ?, ?, ?, ?)");
        insertProbe = db.prepareStatement("INSERT INTO probes(step, finding, change, remedy, patches, start, from_step, steps, "
                + "control_start_loss, control_loss, control_diverged, probe_start_loss, probe_loss, probe_diverged, effect, speedup, verdict, "
                + "seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertProvenance = db.prepareStatement("INSERT OR REPLACE INTO nan_provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
            return new RunStore(RunSchema.connect(file));
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

    /**
     * Also writes the buffered rows once {@code interval} has passed since the last write, so that a reader following
     * the run (the dashboard) sees its steps within about that time even when an epoch is long; one more commit per
     * interval, nothing against a step's cost. Off unless set.
     */
    public RunStore flushEvery(Duration interval) {
        this.flushIntervalNanos = interval.toNanos();
        return this;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        pending.add(event);
        if (pending.size() >= FLUSH_ROWS || (flushIntervalNanos > 0 && System.nanoTime() - lastFlushNanos >= flushIntervalNanos)) flush();
    }

    /** The step whose loss was NaN/Inf is kept too (loss NULL, batch 0), so a re-analysis sees where the run broke. */
    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        pending.add(new BatchEvent(step, epoch, -1, 0, 0, loss, Double.NaN, trainer.optimizer().lrScale()));
        flush();
    }

    /** Every step up to a checkpoint is committed before the checkpoint exists (see {@link TrainingListener#beforeCheckpoint}). */
    @Override
    public void beforeCheckpoint(Trainer trainer, long step) {
        flush();
    }

    /**
     * Deletes the rows of steps after {@code step}: a run resumed from the checkpoint of that step computes them again
     * (equal, since resuming is exact), and rows a killed run committed past its newest checkpoint must not stay
     * beside them.
     */
    public void forgetAfter(long step) {
        try (Statement s = db.createStatement()) {
            for (String table : List.of("steps", "layer_readings", "activation_readings", "curvature_readings", "adaptive_readings",
                    "epochs")) {
                s.executeUpdate("DELETE FROM " + table + " WHERE step > " + step);
            }
            s.executeUpdate("DELETE FROM nan_provenance WHERE failed_step > " + step);
            db.commit();
        } catch (SQLException e) {
            throw new RunStoreException("cannot remove the rows after step " + step + " from the run database: " + e.getMessage(), e);
        }
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

    /** A finding that just opened: its row (replacing an earlier one of the same id) and a finding_opened event. */
    @Override
    public void opened(Finding f) {
        commit("finding " + f.id(), () -> {
            bindFinding(f);
            insertFinding.executeUpdate();
            bindEvent(f.firstStep(), RunEvent.FINDING_OPENED, f.id(), f.title());
        });
    }

    /** A finding that stopped firing: its row as it last stood (last step, evidence) and a finding_closed event. */
    @Override
    public void closed(Finding f) {
        commit("finding " + f.id(), () -> {
            bindFinding(f);
            insertFinding.executeUpdate();
            bindEvent(f.lastStep(), RunEvent.FINDING_CLOSED, f.id(), null);
        });
    }

    /** The doctor's findings as they stand at the end of the run (or of a check), one row per finding id. */
    public void putFindings(List<Finding> findings) {
        commit("findings", () -> {
            // rewritten in ranked order, so that the table's rowid order is the ranking (Findings.ranked) for SQL readers too
            try (var clear = db.createStatement()) {
                clear.executeUpdate("DELETE FROM findings");
            }
            for (Finding f : dev.ravine.doctor.finding.Findings.ranked(findings)) {
                bindFinding(f);
                insertFinding.addBatch();
            }
            insertFinding.executeBatch();
        });
    }

    private void bindFinding(Finding f) throws SQLException {
        insertFinding.setString(1, f.id());
        insertFinding.setString(2, f.severity().name().toLowerCase(Locale.ROOT));
        insertFinding.setLong(3, f.firstStep());
        insertFinding.setLong(4, f.lastStep());
        insertFinding.setString(5, String.join(",", f.layers()));
        insertFinding.setString(6, f.title());
        insertFinding.setString(7, f.cause());
        insertFinding.setString(8, String.join("\n", f.evidence()));
        insertFinding.setString(9, String.join("\n", f.remedies().stream().map(RunStore::remedyLine).toList()));
    }

    /** "change | why", then " | patch; patch" when it has config patches (RunSchema). */
    private static String remedyLine(dev.ravine.doctor.finding.Remedy r) {
        return r.change() + " | " + r.why() + (r.patches().isEmpty() ? "" : " | " + r.patchText());
    }

    /** A repair as the doctor applied it, with the batch loss that triggered it (NaN: non-finite), and a repair event. */
    public void putRepair(RepairAction a, double lossBefore) {
        commit("repair at step " + a.step(), () -> {
            insertRepair.setLong(1, a.step());
            insertRepair.setString(2, a.findingId());
            insertRepair.setString(3, a.remedy());
            insertRepair.setLong(4, a.rolledBackTo());
            real(insertRepair, 5, a.lrScaleBefore());
            real(insertRepair, 6, a.lrScaleAfter());
            real(insertRepair, 7, lossBefore);
            insertRepair.executeUpdate();
            bindEvent(a.step(), RunEvent.REPAIR, a.findingId(), a.remedy());
        });
    }

    /** A counterfactual probe of a finding, run at {@code step}, as it came out (RunSchema's probes table). */
    public void putProbe(long step, dev.ravine.doctor.probe.ProbeOutcome o) {
        commit("probe at step " + step, () -> {
            var h = o.hypothesis();
            insertProbe.setLong(1, step);
            insertProbe.setString(2, h.findingId());
            insertProbe.setString(3, h.change());
            insertProbe.setString(4, h.remedy().change());
            insertProbe.setString(5, h.remedy().patchText());
            insertProbe.setString(6, o.fromStep() == 0 ? dev.ravine.doctor.probe.ProbeStart.RUN_START.id() : h.start().id());
            insertProbe.setLong(7, o.fromStep());
            if (o.probe() == null) insertProbe.setNull(8, Types.INTEGER);
            else insertProbe.setInt(8, o.steps());
            arm(9, o.control());
            arm(12, o.probe());
            real(insertProbe, 15, o.effect());
            real(insertProbe, 16, o.speedup());
            insertProbe.setString(17, o.verdict().id());
            real(insertProbe, 18, o.seconds());
            insertProbe.executeUpdate();
        });
    }

    private void arm(int at, dev.ravine.doctor.probe.ArmResult a) throws SQLException {
        real(insertProbe, at, a == null ? Double.NaN : a.startLoss());
        real(insertProbe, at + 1, a == null ? Double.NaN : a.endLoss());
        if (a == null) insertProbe.setNull(at + 2, Types.INTEGER);
        else insertProbe.setInt(at + 2, a.diverged() ? 1 : 0);
    }

    /** Where a NaN/Inf was made (the doctor's replay of the failing step), committed at once: the run is about to end. */
    public void putProvenance(NonFiniteProvenance p) {
        commit("NaN provenance of step " + p.failedStep(), () -> {
            insertProvenance.setLong(1, p.failedStep());
            insertProvenance.setString(2, p.trigger());
            insertProvenance.setLong(3, p.replayedFrom());
            insertProvenance.setLong(4, p.originStep());
            insertProvenance.setString(5, p.phase());
            insertProvenance.setString(6, p.op());
            insertProvenance.setString(7, p.layer());
            insertProvenance.setString(8, p.parameter());
            insertProvenance.setString(9, p.detail());
            insertProvenance.setLong(10, p.growthStart());
            insertProvenance.setString(11, p.growth());
            insertProvenance.executeUpdate();
        });
    }

    /** Something that happened at {@code step} (null: not at a step), e.g. {@link RunEvent#RUN_ENDED} with its status. */
    public void putEvent(Long step, String kind, String subject, String detail) {
        commit(kind + " event", () -> bindEvent(step, kind, subject, detail));
    }

    private void bindEvent(Long step, String kind, String subject, String detail) throws SQLException {
        insertEvent.setString(1, Instant.now().toString());
        if (step == null) insertEvent.setNull(2, Types.INTEGER);
        else insertEvent.setLong(2, step);
        insertEvent.setString(3, kind);
        insertEvent.setString(4, subject);
        insertEvent.setString(5, detail);
        insertEvent.executeUpdate();
    }

    private interface Write {
        void run() throws SQLException;
    }

    /** One small write in its own transaction, committed at once so that readers see it while the run goes on. */
    private void commit(String what, Write write) {
        try {
            write.run();
            db.commit();
        } catch (SQLException e) {
            throw new RunStoreException("cannot write " + what + " to the run database: " + e.getMessage(), e);
        }
    }

    /** The held-out confusion matrix of a finished classification run (replacing an earlier one). */
    public void putConfusion(ConfusionRecord c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", c.data());
        json.put("checkpoint", c.checkpoint());
        json.put("counts", c.counts());
        try {
            putMeta(Map.of(RunSchema.CONFUSION_META, JSON.writeValueAsString(json)));
        } catch (JsonProcessingException e) {
            throw new RunStoreException("cannot write the confusion matrix to the run database: " + e.getMessage(), e);
        }
    }

    /** One epoch of RBM pre-training of the linear layer {@code layer} (its module name, e.g. "1"). */
    public void putPretrainEpoch(String layer, RbmEpoch e) {
        try (Statement create = db.createStatement()) {
            create.execute(RunSchema.PRETRAIN_TABLE);
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
            lastFlushNanos = System.nanoTime();
        } catch (SQLException e) {
            throw new RunStoreException("cannot write steps to the run database: " + e.getMessage(), e);
        }
    }

    private static void real(PreparedStatement s, int index, double v) throws SQLException {
        if (Double.isFinite(v)) s.setDouble(index, v);
        else s.setNull(index, Types.REAL);
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
