package dev.ravine.app.run;

import dev.ravine.app.build.RunAssembly;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.probe.ArmResult;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointException;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import java.util.function.BooleanSupplier;

/**
 * One arm of a doctor's probe: a training session forked from the run, with its own network, optimizer and
 * generator built from a config (the run's, or the run's with one remedy's patches), started from a snapshot of
 * the run (weights, optimizer state, generator and data position, so it sees exactly the batches the run saw next)
 * or from the config's fresh start, and trained for a fixed number of steps without checkpoints, validation or the
 * run's listeners. The run itself is not touched. Its loss is measured before and after on fixed evaluation samples.
 */
final class ProbeFork {
    /** Evaluation samples: this many, spread evenly over the training set (so a set sorted by class is covered). */
    static final int EVALUATION_SAMPLES = 256;

    private final RunAssembly parts;

    ProbeFork(RunAssembly parts) {
        this.parts = parts;
    }

    /** Whether {@code snapshot} fits this arm's network and optimizer (a change such as clipping alters the state's shape). */
    boolean fits(Checkpoint snapshot) {
        Trainer t = trainer();
        try {
            t.resume(snapshot);
            return true;
        } catch (CheckpointException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Trains {@code steps} steps from {@code snapshot} (null: the config's fresh start), stopping early when
     * {@code outOfTime} says so; returns null when it was cut short (an arm of unequal length compares nothing).
     */
    ArmResult train(Checkpoint snapshot, int steps, BooleanSupplier outOfTime) {
        long t0 = System.nanoTime();
        Trainer t = trainer();
        if (snapshot != null) t.resume(snapshot);
        DataLoader evaluation = evaluationLoader();
        double start = t.evaluate(evaluation).loss();
        int[] taken = {0};
        boolean[] diverged = {false}, cut = {false};
        t.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer trainer, BatchEvent e) {
                taken[0]++;
                if (taken[0] >= steps) trainer.requestStop("probe done");
                else if (outOfTime.getAsBoolean()) {
                    cut[0] = true;
                    trainer.requestStop("probe budget spent");
                }
            }

            @Override
            public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
                diverged[0] = true;
            }

            @Override
            public void onNonFiniteGradients(Trainer trainer, long step, int epoch, double loss, double gradientNorm) {
                diverged[0] = true;
            }
        });
        t.fit(parts.trainLoader(), null);
        if (cut[0]) return null;
        double end = diverged[0] ? Double.NaN : t.evaluate(evaluation).loss();
        return new ArmResult(start, end, diverged[0] ? taken[0] + 1 : taken[0], diverged[0] || !Double.isFinite(end),
                (System.nanoTime() - t0) * 1e-9);
    }

    private Trainer trainer() {
        // the assembly's network and optimizer are this arm's own; a fresh copy per call keeps fits() from disturbing train()
        RunAssembly a = RunAssembly.of(parts.config(), parts.data());
        Trainer t = new Trainer(a.model().network(), a.loss(), a.optimizer(), a.rng(), TrainingOptions.epochs(Integer.MAX_VALUE));
        a.stepHooks().forEach(t::addStepHook);
        return t;
    }

    private DataLoader evaluationLoader() {
        Dataset train = parts.data().train();
        int n = Math.min(EVALUATION_SAMPLES, train.size());
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) indices[i] = (int) ((long) i * train.size() / n);
        return new DataLoader(train.subset(indices), Math.min(n, parts.config().training().batchSize()), false, false, parts.config().seed());
    }
}
