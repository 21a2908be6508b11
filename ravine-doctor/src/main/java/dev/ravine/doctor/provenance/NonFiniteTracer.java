package dev.ravine.doctor.provenance;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.autograd.FiniteCheck;
import dev.ravine.autograd.NonFiniteOrigin;
import dev.ravine.data.Batch;
import dev.ravine.io.Checkpoint;
import dev.ravine.nn.Module;
import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds where a NaN or infinity came from. While the run goes it keeps one in-memory snapshot (model, optimizer, Rng,
 * data position: {@link Trainer#snapshot}) and each step's loss; when a step turns non-finite it replays the steps
 * since the snapshot on the same batches ({@link Trainer#replay}) with per-op finite checks on ({@link FiniteCheck}),
 * stops at the first value made non-finite and names it ({@link NonFiniteProvenance}).
 *
 * <p>A snapshot copies every weight and the optimizer's state, so it is taken only as often as keeps its cost at
 * {@value #SNAPSHOT_SHARE} of the training time (measured on the run: the copy's time against a step's), and at least
 * {@value #MIN_INTERVAL} steps apart; the replay is at most that many steps, once, at the failure. A snapshot whose
 * weights are already non-finite is not kept.
 */
public final class NonFiniteTracer {
    static final double SNAPSHOT_SHARE = 0.005;
    static final int MIN_INTERVAL = 10;

    private Checkpoint snapshot;
    private long lastSnapshotStep;
    private double snapshotSeconds;
    private double stepSeconds = Double.NaN;
    private long lastBatchEnd;
    private final List<GrowthOnset.StepLoss> losses = new ArrayList<>();

    /** At the start of training (or of a resumed run): the first snapshot. */
    public void start(Trainer trainer) {
        losses.clear();
        takeSnapshot(trainer, trainer.optimizer().stepCount());
        lastBatchEnd = System.nanoTime();
    }

    /** After each step: its loss, and a snapshot when one is due (or when a rollback made the one held stale). */
    public void afterStep(Trainer trainer, BatchEvent event) {
        long now = System.nanoTime();
        double seconds = (now - lastBatchEnd) * 1e-9;
        lastBatchEnd = now;
        stepSeconds = Double.isNaN(stepSeconds) ? seconds : 0.9 * stepSeconds + 0.1 * seconds;
        boolean rolledBack = !losses.isEmpty() && event.step() <= losses.getLast().step();
        if (rolledBack) losses.removeIf(l -> l.step() >= event.step());
        losses.add(new GrowthOnset.StepLoss(event.step(), event.loss()));
        if (!Double.isFinite(event.loss())) return;
        if (rolledBack || snapshot == null || snapshot.step() >= event.step() || event.step() >= lastSnapshotStep + interval()) {
            takeSnapshot(trainer, event.step());
        }
    }

    /** Steps between snapshots: the copy's time over SNAPSHOT_SHARE of a step's, from the latest measures, at least MIN_INTERVAL. */
    private long interval() {
        if (!(stepSeconds > 0)) return MIN_INTERVAL;
        return Math.max(MIN_INTERVAL, (long) Math.ceil(snapshotSeconds / (SNAPSHOT_SHARE * stepSeconds)));
    }

    private void takeSnapshot(Trainer trainer, long step) {
        long t0 = System.nanoTime();
        Checkpoint c = trainer.snapshot();
        boolean finite = c.parameters().values().stream().allMatch(NonFiniteTracer::finite);
        if (finite) snapshot = c;
        snapshotSeconds = (System.nanoTime() - t0) * 1e-9;
        lastSnapshotStep = step;
    }

    private static boolean finite(float[] values) {
        for (float v : values) if (!Float.isFinite(v)) return false;
        return true;
    }

    /** The step of the snapshot a replay would start from (-1 before training starts). */
    public long snapshotStep() {
        return snapshot == null ? -1 : snapshot.step();
    }

    /**
     * Replays from the snapshot through {@code failedStep} with the checks on and says where the first non-finite
     * value was made. The run is left exactly as it was.
     *
     * @param trigger what the trainer reported, in words ("loss NaN", "gradient norm NaN")
     */
    public NonFiniteProvenance trace(Trainer trainer, long failedStep, String trigger) {
        String growth = NonFiniteProvenance.describe(GrowthOnset.of(losses));
        long growthStart = GrowthOnset.of(losses).onset();
        if (snapshot == null) {
            return new NonFiniteProvenance(failedStep, trigger, 0, 0, "", "", "", "", "no snapshot to replay from", growthStart, growth);
        }
        Module model = trainer.model();
        Replay replay = new Replay(trainer);
        try (FiniteCheck check = FiniteCheck.open(LayerPaths.of(model), model.namedParameters())) {
            replay.check = check;
            trainer.replay(snapshot, failedStep, replay);
        } catch (RuntimeException e) {
            return new NonFiniteProvenance(failedStep, trigger, snapshot.step(), 0, "", "", "", "", "the replay failed: " + e.getMessage(), growthStart, growth);
        }
        NonFiniteOrigin o = replay.origin;
        if (o == null) {
            return new NonFiniteProvenance(failedStep, trigger, snapshot.step(), 0, "", "", "", "", "replayed losses " + replay.losses(), growthStart, growth);
        }
        String parameter = o.parameter() != null ? o.parameter() : "";
        String layer = o.scope() != null ? o.scope() : o.phase() == NonFiniteOrigin.Phase.UPDATE && !parameter.isEmpty()
                ? LayerPaths.configPath(model, LayerPaths.layerOf(parameter)) : o.phase() == NonFiniteOrigin.Phase.UPDATE ? "" : "the loss";
        if (parameter.isEmpty() && o.phase() != NonFiniteOrigin.Phase.INPUT) parameter = parametersOf(model, layer);
        String detail = o.detail();
        if (o.phase() == NonFiniteOrigin.Phase.INPUT && o.parameter() == null && replay.badSamples != null) {
            detail = "samples " + replay.badSamples + " of the training set hold " + replay.badValues + " non-finite input values (" + o.detail() + ")";
        }
        detail += replay.clipNote(o.step());
        return new NonFiniteProvenance(failedStep, trigger, snapshot.step(), o.step(), o.phase().word(), o.op(), layer, parameter, detail, growthStart, growth);
    }

    /** The parameters of the layer at a config path, comma-separated ("" for a layer without any, or the loss). */
    private static String parametersOf(Module model, String layer) {
        List<String> names = new ArrayList<>();
        for (String p : model.namedParameters().keySet()) {
            String l = LayerPaths.layerOf(p);
            if (!l.isEmpty() && LayerPaths.configPath(model, l).equals(layer)) names.add(p);
        }
        return String.join(", ", names);
    }

    /** What the replay saw, step by step. */
    private static final class Replay implements Trainer.ReplayObserver {
        final Trainer trainer;
        FiniteCheck check;
        NonFiniteOrigin origin;
        List<Integer> badSamples;
        int badValues;
        final Map<Long, Double> lossByStep = new LinkedHashMap<>();
        final Map<Long, Double> clipNorms = new LinkedHashMap<>();

        Replay(Trainer trainer) {
            this.trainer = trainer;
        }

        @Override
        public void beforeStep(long step, Batch batch) {
            check.atStep(step);
            if (badSamples == null) badSamples = nonFiniteSamples(batch);
        }

        @Override
        public boolean afterStep(Trainer.ReplayedStep step) {
            lossByStep.put(step.step(), step.loss());
            clipNorms.put(step.step(), ClipByGlobalNorm.lastNorm(trainer.optimizer()));
            origin = check.origin().orElse(null);
            return origin != null;
        }

        /** The samples (data set indices) whose inputs hold a NaN or infinity, or null when none does. */
        private List<Integer> nonFiniteSamples(Batch batch) {
            Tensor x = batch.inputs();
            float[] v = x.values();
            int per = v.length / Math.max(1, batch.size());
            List<Integer> found = new ArrayList<>();
            for (int r = 0; r < batch.size(); r++) {
                int bad = 0;
                for (int j = r * per; j < (r + 1) * per; j++) if (!Float.isFinite(v[j])) bad++;
                if (bad > 0) {
                    found.add(batch.sampleIndices()[r]);
                    badValues += bad;
                }
            }
            return found.isEmpty() ? null : found;
        }

        private boolean clipsGlobalNorm() {
            return trainer.optimizer().transform() instanceof Chain c && c.links().stream().anyMatch(l -> l instanceof ClipByGlobalNorm);
        }

        String losses() {
            StringBuilder sb = new StringBuilder();
            lossByStep.forEach((s, l) -> sb.append(sb.isEmpty() ? "" : ", ").append(s).append(": ").append(fmt(l)));
            return sb.toString();
        }

        /** Global-norm clipping scales every gradient by max / norm: a non-finite norm spreads the NaN to every weight (as in torch). */
        String clipNote(long step) {
            Double norm = clipNorms.get(step);
            if (norm == null || Double.isFinite(norm) || !clipsGlobalNorm()) return "";
            return "; clip.global_norm then saw a total gradient norm of " + norm + " and scaled every gradient by it, so every weight turned "
                    + (Double.isNaN(norm) ? "NaN" : "0 or NaN") + " (torch's clip_grad_norm_ does the same)";
        }
    }

}
