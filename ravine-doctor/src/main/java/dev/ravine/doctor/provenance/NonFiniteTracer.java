package dev.ravine.doctor.provenance;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.autograd.FiniteCheck;
import dev.ravine.autograd.NonFiniteOrigin;
import dev.ravine.data.Batch;
import dev.ravine.doctor.snapshot.RollingSnapshots;
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
 * Finds where a NaN or infinity came from. While the run goes it keeps each step's loss, and the run's rolling
 * snapshots ({@link RollingSnapshots}, shared with the probes and the repair) keep the points to go back to; when a step
 * turns non-finite it replays the steps since the newest snapshot on the same batches ({@link Trainer#replay}) with
 * per-op finite checks on ({@link FiniteCheck}), stops at the first value made non-finite and names it
 * ({@link NonFiniteProvenance}). The replay is at most the snapshots' interval of steps, once, at the failure.
 */
public final class NonFiniteTracer {
    private final RollingSnapshots snapshots;
    private final List<GrowthOnset.StepLoss> losses = new ArrayList<>();

    /** A tracer with snapshots of its own (nothing else in the run goes back in time). */
    public NonFiniteTracer() {
        this(RollingSnapshots.defaults());
    }

    public NonFiniteTracer(RollingSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    /** At the start of training (or of a resumed run): the first snapshot. */
    public void start(Trainer trainer) {
        losses.clear();
        snapshots.start(trainer);
    }

    /** After each step: its loss (a rollback's steps replace those they undo), and a snapshot when one is due. */
    public void afterStep(Trainer trainer, BatchEvent event) {
        if (!losses.isEmpty() && event.step() <= losses.getLast().step()) losses.removeIf(l -> l.step() >= event.step());
        losses.add(new GrowthOnset.StepLoss(event.step(), event.loss()));
        snapshots.afterStep(trainer, event);
    }

    /** The step of the snapshot a replay would start from (-1 before training starts). */
    public long snapshotStep() {
        return snapshots.newestBefore(Long.MAX_VALUE).map(RollingSnapshots.Snapshot::step).orElse(-1L);
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
        Checkpoint snapshot = snapshots.newestBefore(failedStep).map(RollingSnapshots.Snapshot::checkpoint).orElse(null);
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
