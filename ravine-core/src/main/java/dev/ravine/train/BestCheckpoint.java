package dev.ravine.train;

import dev.ravine.io.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps {@code best.ckpt} beside a run's rolling checkpoints: at the end of every epoch whose metric beats the best
 * so far (by more than {@code minDelta}; a non-finite value never does) it writes the trainer's snapshot there, so
 * the best weights survive the rolling deletion of older epochs. The metric is validation loss by default, or early
 * stopping's monitor, so that best.ckpt holds exactly the weights early stopping restores.
 */
public final class BestCheckpoint implements TrainingListener {
    public static final String FILE_NAME = "best.ckpt";

    private final Path file;
    private final String metric;
    private final EarlyStopping.Mode mode;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch;
    private long bestStep;

    /** best.ckpt in {@code checkpointDir}, by {@code metric} (one of {@link EarlyStopping#METRICS}). */
    public BestCheckpoint(Path checkpointDir, String metric, EarlyStopping.Mode mode, double minDelta) {
        if (!EarlyStopping.METRICS.contains(metric)) {
            throw new IllegalArgumentException("unknown metric '" + metric + "'; valid: " + String.join(", ", EarlyStopping.METRICS));
        }
        this.file = checkpointDir.resolve(FILE_NAME);
        this.metric = metric;
        this.mode = mode;
        this.minDelta = minDelta;
    }

    /** By validation loss, the lower the better. */
    public static BestCheckpoint byValidationLoss(Path checkpointDir) {
        return new BestCheckpoint(checkpointDir, "val_loss", EarlyStopping.Mode.MIN, 0);
    }

    /**
     * For a resumed run: the epochs trained before its checkpoint, replayed through the same rule without writing
     * (best.ckpt already holds the best of them), so that a later epoch replaces it only if it beats them.
     */
    public void replay(List<EpochEvent> earlier) {
        for (EpochEvent event : earlier) {
            if (improves(event)) keep(event);
        }
    }

    private boolean improves(EpochEvent event) {
        double v = EarlyStopping.metric(event, metric);
        return Double.isFinite(v) && (Double.isNaN(best) || (mode == EarlyStopping.Mode.MIN ? v < best - minDelta : v > best + minDelta));
    }

    private void keep(EpochEvent event) {
        best = EarlyStopping.metric(event, metric);
        bestEpoch = event.epoch();
        bestStep = event.step();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent event) {
        if (!improves(event)) return;
        try {
            CheckpointFile.write(file, trainer.snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the best checkpoint " + file + ": " + e.getMessage(), e);
        }
        keep(event);
    }

    /** Whether an epoch has been written to best.ckpt. */
    public boolean written() {
        return bestEpoch > 0;
    }

    public Path file() {
        return file;
    }

    public String metric() {
        return metric;
    }

    /** The best value of the metric; NaN before the first written epoch. */
    public double bestValue() {
        return best;
    }

    /** The 1-based epoch held in best.ckpt; 0 before the first. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public long bestStep() {
        return bestStep;
    }
}
