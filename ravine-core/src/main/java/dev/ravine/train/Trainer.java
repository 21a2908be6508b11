package dev.ravine.train;

import dev.ravine.autograd.GradMode;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.init.Initializer;
import dev.ravine.io.AtomicFile;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointFile;
import dev.ravine.io.IoProblem;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.NonFiniteGradientsException;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs epochs of mini-batch training with validation, emits events to listeners, and writes checkpoints. Its
 * public controls (learning-rate scale, stop, snapshot, rollback, re-initialization) are the only way others, the
 * doctor's repairs included, change a run.
 */
public final class Trainer {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Rng rng;
    private final TrainingOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<StepHook> stepHooks = new ArrayList<>();

    private int epoch;
    private int batchInEpoch;
    /** Running sums of the current epoch: loss * samples, correct predictions, samples, seconds in steps. */
    private double[] epochSums = new double[4];
    /** Set from another thread (Ctrl-C handler, dashboard), read by the training loop. */
    private volatile String stopReason;
    /** Set by {@link #rollback}: the loop restarts from the restored position instead of continuing its epoch. */
    private boolean rolledBack;
    private final List<Path> writtenCheckpoints = new ArrayList<>();
    /** The training data of the fit in progress, for {@link #replay}; null outside fit. */
    private DataLoader trainLoader;
    /** True while {@link #replay} re-runs steps: listeners do not hear them. */
    private boolean replaying;
    /** This trainer's part in synchronous data-parallel training, or null when it trains alone. */
    private DataParallel dataParallel;

    public Trainer(Module model, Loss loss, Optimizer optimizer, Rng rng, TrainingOptions options) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.rng = rng;
        this.options = options;
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Adds a change to every training step (noise, augmentation, adversarial examples); hooks run in the order added. */
    public Trainer addStepHook(StepHook hook) {
        stepHooks.add(hook);
        return this;
    }

    /**
     * Makes this trainer one replica of a synchronous data-parallel run: each step it trains on its shard of the batch
     * and the gradients are all-reduced ({@link DataParallel}). Methods that re-evaluate the loss within a step
     * (L-BFGS) are refused: their line search would need an all-reduce per evaluation.
     */
    public Trainer dataParallel(DataParallel dp) {
        if (optimizer.needsClosure()) {
            throw new IllegalArgumentException("data-parallel training needs a one-gradient optimizer (sgd, adam, ...); this one "
                    + "re-evaluates the loss within a step (lbfgs)");
        }
        this.dataParallel = dp;
        return this;
    }

    // ------------------------------------------------------------------ controls

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    public TrainingOptions options() {
        return options;
    }

    public int epoch() {
        return epoch;
    }

    public void setLrScale(double scale) {
        optimizer.setLrScale(scale);
    }

    /** Ends the run after the current step with status STOPPED. */
    public void requestStop(String reason) {
        this.stopReason = reason;
    }

    /** An in-memory checkpoint of this exact point (model, optimizer, Rng, data position, epoch sums). */
    public Checkpoint snapshot() {
        return Checkpoint.capture(model, optimizer, rng, epoch, batchInEpoch, epochSums);
    }

    /**
     * Restores {@code checkpoint} now (model, optimizer, Rng, learning-rate scale, data position); training continues
     * from its epoch and batch after the current listener callbacks. Changes a listener makes after calling this
     * (a lower learning-rate scale, say) apply to the resumed run: that is how a repair works.
     */
    public void rollback(Checkpoint checkpoint) {
        apply(checkpoint);
        rolledBack = true;
    }

    /**
     * Re-draws the named parameters with their initializers (core {@code init/}), in the model's parameter order, from
     * a generator split off the run's Rng, so the weights follow the run's seed. After a rollback the run's Rng is that
     * of the checkpoint again, so {@code draw} tells apart re-initializations made from the same point: another
     * number, other weights. Other parameters, the optimizer's state and the data position are left as they are.
     *
     * @throws IllegalArgumentException for a name that is not one of the model's parameters
     */
    public void reinitialize(Map<String, Initializer> byParameter, long draw) {
        Map<String, Tensor> params = model.namedParameters();
        for (String name : byParameter.keySet()) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("no parameter '" + name + "' to re-initialize; the model has " + params.keySet());
            }
        }
        Rng drawn = rng.split(draw);
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Initializer init = byParameter.get(p.getKey());
            if (init != null) init.initialize(p.getValue(), drawn);
        }
    }

    /** Restores a checkpoint before {@link #fit} is called, to resume a run where it stopped. */
    public void resume(Checkpoint checkpoint) {
        apply(checkpoint);
    }

    /** One step run again by {@link #replay}: its number, its loss, and whether the optimizer refused it. */
    public record ReplayedStep(long step, double loss, boolean refused) {}

    /** Hears each step {@link #replay} runs: before it (the batch as loaded) and after it. */
    public interface ReplayObserver {
        void beforeStep(long step, Batch batch);

        /** Returns true to end the replay after this step. */
        boolean afterStep(ReplayedStep step);
    }

    /**
     * Runs the steps after {@code from} again, up to step {@code through}, on the very batches the run trained on (this
     * fit's loader from the checkpoint's position, the step hooks, the checkpoint's Rng), without telling the listeners,
     * and then puts the run back exactly where it was. The doctor replays a step that turned non-finite this way, with
     * per-op checks on ({@link dev.ravine.autograd.FiniteCheck}). Stops early at a non-finite loss, a refused step or
     * when the observer says so.
     *
     * @throws IllegalStateException outside {@link #fit}, which holds the data to replay
     */
    public List<ReplayedStep> replay(Checkpoint from, long through, ReplayObserver observer) {
        if (trainLoader == null) throw new IllegalStateException("replay needs the training data of a fit in progress");
        Checkpoint now = snapshot();
        boolean wasTraining = model.isTraining();
        List<ReplayedStep> replayed = new ArrayList<>();
        replaying = true;
        try {
            apply(from);
            model.train(true);
            outer:
            while (optimizer.stepCount() < through && epoch < options.epochs()) {
                Iterator<Batch> batches = trainLoader.epoch(epoch, batchInEpoch).iterator();
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    long number = optimizer.stepCount() + 1;
                    observer.beforeStep(number, batch);
                    StepOutcome out = step(batch);
                    ReplayedStep r = new ReplayedStep(number, out.loss, out.refused != null);
                    replayed.add(r);
                    batchInEpoch = batch.index() + 1;
                    if (observer.afterStep(r) || !Double.isFinite(out.loss) || out.refused != null || number >= through) break outer;
                }
                epoch++;
                batchInEpoch = 0;
            }
        } finally {
            replaying = false;
            apply(now);
            model.train(wasTraining);
        }
        return replayed;
    }

    private void apply(Checkpoint c) {
        c.restore(model, optimizer, rng);
        epoch = c.epoch();
        batchInEpoch = c.batchInEpoch();
        epochSums = c.epochAccumulators().length == 4 ? c.epochAccumulators().clone() : new double[4];
    }

    // ------------------------------------------------------------------ training

    /** A completed run's reason, as {@link TrainingResult#reason()} gives it (a resumed run that only finishes says the same). */
    public static String completedReason(int epochs) {
        return epochs == 1 ? "the epoch is done" : "all " + epochs + " epochs done";
    }

    public TrainingResult fit(DataLoader train, DataLoader validation) {
        long started = System.nanoTime();
        removeStaleCheckpointWrites();
        trainLoader = train;
        try {
            return fitEpochs(train, validation, started);
        } finally {
            trainLoader = null;
        }
    }

    private TrainingResult fitEpochs(DataLoader train, DataLoader validation, long started) {
        List<EpochEvent> history = new ArrayList<>();
        TrainingStatus status = TrainingStatus.COMPLETED;
        String reason = completedReason(options.epochs());
        double trainSeconds = 0;
        long trainSamples = 0;
        listeners.forEach(l -> l.onTrainingStart(this));
        Evaluation lastVal = new Evaluation(Double.NaN, Double.NaN, 0);
        double lastTrainLoss = Double.NaN;

        outer:
        while (epoch < options.epochs()) {
            model.train(true);
            Iterator<Batch> batches = train.epoch(epoch, batchInEpoch).iterator();
            while (batches.hasNext()) {
                Batch batch = batches.next();
                long t0 = System.nanoTime();
                long attempted = optimizer.stepCount() + 1;
                StepOutcome out = step(batch);
                double seconds = (System.nanoTime() - t0) * 1e-9;
                trainSeconds += seconds;
                trainSamples += batch.size();
                if (!Double.isFinite(out.loss)) {
                    for (TrainingListener l : listeners) l.onNonFiniteLoss(this, optimizer.stepCount() + 1, epoch, out.loss);
                    if (rolledBack) {
                        rolledBack = false;
                        continue outer;
                    }
                    status = TrainingStatus.DIVERGED;
                    reason = "the loss became " + out.loss + " at step " + (optimizer.stepCount() + 1) + " (epoch " + (epoch + 1)
                            + ", batch " + (batch.index() + 1) + "); the last good checkpoint is kept";
                    break outer;
                }
                if (out.refused != null) {
                    for (TrainingListener l : listeners) l.onNonFiniteGradients(this, attempted, epoch, out.loss, out.refused.totalNorm());
                    if (rolledBack) {
                        rolledBack = false;
                        continue outer;
                    }
                    status = TrainingStatus.DIVERGED;
                    reason = "the optimizer refused step " + attempted + " (epoch " + (epoch + 1) + ", batch " + (batch.index() + 1)
                            + "): " + out.refused.getMessage() + "; the weights are those before it and the last good checkpoint is kept";
                    break outer;
                }
                batchInEpoch = batch.index() + 1;
                epochSums[0] += out.loss * batch.size();
                epochSums[1] += out.correct;
                epochSums[2] += batch.size();
                epochSums[3] += seconds;
                BatchEvent event = new BatchEvent(optimizer.stepCount(), epoch, batch.index(), train.batchesPerEpoch(), batch.size(),
                        out.loss, out.correct / (double) batch.size(), optimizer.lrScale());
                for (TrainingListener l : listeners) l.onBatchEnd(this, event);
                if (rolledBack) {
                    rolledBack = false;
                    continue outer;
                }
                if (options.checkpointEverySteps() > 0 && optimizer.stepCount() % options.checkpointEverySteps() == 0) {
                    writeCheckpoint();
                }
                if (stopReason == null && StopRequest.raised()) stopReason = StopRequest.reason();
                agreeOnStop();
                if (stopReason != null) {
                    status = TrainingStatus.STOPPED;
                    reason = stopReason;
                    // Keep the work since the last checkpoint: a stopped run resumes from exactly here.
                    writeCheckpoint();
                    break outer;
                }
            }
            lastTrainLoss = epochSums[0] / Math.max(1, epochSums[2]);
            double trainAcc = loss.isClassification() ? epochSums[1] / Math.max(1, epochSums[2]) : Double.NaN;
            double epochSeconds = epochSums[3];
            double epochSamples = epochSums[2];
            lastVal = validation == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(validation);
            EpochEvent ev = new EpochEvent(epoch + 1, optimizer.stepCount(), lastTrainLoss, trainAcc, lastVal.loss(), lastVal.accuracy(),
                    epochSeconds, epochSamples / Math.max(epochSeconds, 1e-9));
            history.add(ev);
            epoch++;
            batchInEpoch = 0;
            epochSums = new double[4];
            for (TrainingListener l : listeners) l.onEpochEnd(this, ev);
            if (rolledBack) {
                rolledBack = false;
                continue;
            }
            writeCheckpoint();
            if (stopReason == null && StopRequest.raised()) stopReason = StopRequest.reason();
            agreeOnStop();
            if (stopReason != null) {
                status = TrainingStatus.STOPPED;
                reason = stopReason;
                break;
            }
        }
        double wall = (System.nanoTime() - started) * 1e-9;
        TrainingResult result = new TrainingResult(status, reason, history.size(), optimizer.stepCount(), lastTrainLoss,
                lastVal.loss(), lastVal.accuracy(), trainSamples / Math.max(trainSeconds, 1e-9), wall, List.copyOf(history));
        for (TrainingListener l : listeners) l.onTrainingEnd(this, result);
        return result;
    }

    /** With replicas: a stop any of them wants is every replica's, or the others would wait for it forever. */
    private void agreeOnStop() {
        if (dataParallel != null && dataParallel.anyStops(stopReason != null) && stopReason == null) {
            stopReason = "another replica of the data-parallel run stopped";
        }
    }

    /** {@code refused}: the optimizer's refusal of non-finite gradients, else null. */
    private record StepOutcome(double loss, int correct, NonFiniteGradientsException refused) {
        StepOutcome(double loss, int correct) {
            this(loss, correct, null);
        }
    }

    private StepOutcome step(Batch loaded) {
        Batch batch = loaded;
        for (StepHook hook : stepHooks) batch = hook.beforeForward(this, batch, epoch);
        if (optimizer.needsClosure()) return closureStep(batch);
        // A replay (rank 0's doctor tracing a non-finite step) runs alone, on the whole batch: the other replicas are not in it.
        if (dataParallel != null && !replaying) return replicaStep(batch);
        Tensor output;
        double value;
        try {
            output = model.call(batch.inputs());
            Tensor l = loss.compute(output, batch.targets());
            value = l.item();
            if (!Double.isFinite(value)) return new StepOutcome(value, 0);
            optimizer.zeroGrad();
            l.backward();
        } finally {
            for (StepHook hook : stepHooks) hook.afterBackward(this);
        }
        if (!replaying) for (TrainingListener listener : listeners) listener.onGradients(this, optimizer.stepCount() + 1);
        try {
            optimizer.step();
        } catch (NonFiniteGradientsException e) {
            return new StepOutcome(value, 0, e);
        }
        return new StepOutcome(value, loss.isClassification() ? countCorrect(output, batch.labels()) : 0);
    }

    /**
     * A step of one replica: forward and backward on its shard, then the global batch's loss, accuracy and gradient by
     * all-reduce, so that listeners, the finiteness checks and the optimizer see the same numbers on every replica.
     */
    private StepOutcome replicaStep(Batch global) {
        Batch batch = dataParallel.shard(global);
        Tensor output = null;
        Tensor l = null;
        double[] reduced;
        try {
            double shardLoss = 0;
            int shardCorrect = 0;
            if (batch.size() > 0) {
                output = model.call(batch.inputs());
                l = loss.compute(output, batch.targets());
                shardLoss = l.item();
                shardCorrect = loss.isClassification() ? countCorrect(output, batch.labels()) : 0;
            }
            reduced = dataParallel.globalLossAndCorrect(shardLoss, shardCorrect, batch.size(), global.size());
            if (!Double.isFinite(reduced[0])) return new StepOutcome(reduced[0], 0);
            optimizer.zeroGrad();
            if (l != null) l.backward();
            dataParallel.reduceGradients(model, batch.size(), global.size());
        } finally {
            for (StepHook hook : stepHooks) hook.afterBackward(this);
        }
        for (TrainingListener listener : listeners) listener.onGradients(this, optimizer.stepCount() + 1);
        try {
            optimizer.step();
        } catch (NonFiniteGradientsException e) {
            return new StepOutcome(reduced[0], 0, e);
        }
        return new StepOutcome(reduced[0], (int) reduced[1]);
    }

    /** Thrown out of a closure whose first loss is not finite, so the method never steps on it. */
    private static final class NonFiniteFirstLoss extends RuntimeException {
        final double loss;

        NonFiniteFirstLoss(double loss) {
            super(null, null, false, false);
            this.loss = loss;
        }
    }

    /**
     * A step of a method that re-evaluates the loss (L-BFGS): the closure runs the forward and backward pass on the
     * same (already transformed) batch as often as the method asks. The first evaluation is the step's reported loss
     * and accuracy, its step hooks' afterBackward runs as for a one-gradient step, and its gradients are the ones
     * listeners see; later evaluations are plain loss and gradient evaluations for the line search.
     */
    private StepOutcome closureStep(Batch batch) {
        Tensor[] firstOutput = new Tensor[1];
        long nextStep = optimizer.stepCount() + 1;
        double value;
        try {
            value = optimizer.step(() -> {
                Tensor output = model.call(batch.inputs());
                Tensor l = loss.compute(output, batch.targets());
                boolean first = firstOutput[0] == null;
                if (!first) {
                    optimizer.zeroGrad();
                    l.backward();
                    return l;
                }
                firstOutput[0] = output;
                try {
                    if (!Double.isFinite(l.item())) throw new NonFiniteFirstLoss(l.item());
                    optimizer.zeroGrad();
                    l.backward();
                } finally {
                    for (StepHook hook : stepHooks) hook.afterBackward(this);
                }
                if (!replaying) for (TrainingListener listener : listeners) listener.onGradients(this, nextStep);
                return l;
            });
        } catch (NonFiniteFirstLoss e) {
            return new StepOutcome(e.loss, 0);
        }
        return new StepOutcome(value, loss.isClassification() ? countCorrect(firstOutput[0], batch.labels()) : 0);
    }

    private static int countCorrect(Tensor logits, int[] labels) {
        if (labels == null || logits.dim() != 2) return 0;
        int[] predicted = logits.argmax(1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) correct++;
        return correct;
    }

    /** Mean loss and accuracy over a data set, in inference mode and without recording a graph. */
    public Evaluation evaluate(DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        int samples = 0;
        try (var scope = GradMode.noGrad()) {
            for (Batch batch : data.epoch(0, 0)) {
                Tensor output = model.call(batch.inputs());
                lossSum += loss.compute(output, batch.targets()).item() * batch.size();
                if (loss.isClassification()) correct += countCorrect(output, batch.labels());
                samples += batch.size();
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / Math.max(samples, 1), loss.isClassification() ? correct / (double) Math.max(samples, 1) : Double.NaN, samples);
    }

    // ------------------------------------------------------------------ checkpoints

    private void writeCheckpoint() {
        if (options.checkpointDir() == null) return;
        Path file = options.checkpointDir().resolve(String.format("step-%09d.ckpt", optimizer.stepCount()));
        for (TrainingListener l : listeners) l.beforeCheckpoint(this, optimizer.stepCount());
        try {
            CheckpointFile.write(file, snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + IoProblem.describe(e), e);
        }
        if (!writtenCheckpoints.contains(file)) writtenCheckpoints.add(file);
        while (writtenCheckpoints.size() > options.keepCheckpoints()) {
            try {
                Files.deleteIfExists(writtenCheckpoints.remove(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (TrainingListener l : listeners) l.onCheckpoint(this, file);
    }

    /** A write killed half-way (kill -9, power loss) leaves its temporary file; the checkpoint itself is intact. */
    private void removeStaleCheckpointWrites() {
        if (options.checkpointDir() == null) return;
        try {
            AtomicFile.removeStale(options.checkpointDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the checkpoint folder " + options.checkpointDir() + ": "
                    + IoProblem.describe(e), e);
        }
    }

    /** The newest checkpoint file in a folder, by step number in its name, or null. */
    public static Path latestCheckpoint(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("step-\\d+\\.ckpt")).max(Path::compareTo).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
