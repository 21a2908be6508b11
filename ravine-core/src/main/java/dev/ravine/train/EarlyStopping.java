package dev.ravine.train;

import dev.ravine.io.Checkpoint;
import java.util.List;

/**
 * Stops a run when a logged metric has not improved for {@code patience} epochs (Keras' EarlyStopping): an epoch
 * improves when the metric beats the best so far by more than {@code minDelta} (lower for mode min, higher for max;
 * a non-finite value never improves). It stops through {@link Trainer#requestStop}. With {@code restoreBest}, it keeps
 * an in-memory {@link Trainer#snapshot} of the best epoch and, when training ends (stopped early or not), restores
 * that epoch's model weights and buffers only ({@link Checkpoint#restoreModel}): a rollback would also reset the data
 * position and epoch and resume training. The optimizer state stays that of the last step.
 */
public final class EarlyStopping implements TrainingListener {
    public static final List<String> METRICS = List.of("val_loss", "val_accuracy", "train_loss", "train_accuracy");

    public enum Mode { MIN, MAX }

    private final String monitor;
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best = Double.NaN;
    private int bestEpoch;
    private int wait;
    private Checkpoint bestSnapshot;
    private boolean stopped;

    public EarlyStopping(String monitor, Mode mode, int patience, double minDelta, boolean restoreBest) {
        if (!METRICS.contains(monitor)) throw new IllegalArgumentException("unknown metric '" + monitor + "'; valid: " + String.join(", ", METRICS));
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("min_delta must be >= 0, got " + minDelta);
        this.monitor = monitor;
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    /** Mode max for accuracies, min otherwise. */
    public static Mode defaultMode(String monitor) {
        return monitor.endsWith("accuracy") ? Mode.MAX : Mode.MIN;
    }

    public static double metric(EpochEvent e, String monitor) {
        return switch (monitor) {
            case "val_loss" -> e.valLoss();
            case "val_accuracy" -> e.valAccuracy();
            case "train_loss" -> e.trainLoss();
            case "train_accuracy" -> e.trainAccuracy();
            default -> throw new IllegalArgumentException("unknown metric '" + monitor + "'; valid: " + String.join(", ", METRICS));
        };
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent event) {
        if (observe(event)) {
            if (restoreBest) bestSnapshot = trainer.snapshot();
            return;
        }
        if (wait >= patience && !stopped) {
            stopped = true;
            trainer.requestStop(reason());
        }
    }

    /**
     * For a resumed run: the epochs trained before its checkpoint, seen through the same rule, so that patience counts
     * on from where the run left it and a run that early stopping had already ended is {@link #stoppedEarly()}. The best
     * epoch's weights are not in memory then; the run's best.ckpt (kept by the same monitor) holds them.
     */
    public void replay(List<EpochEvent> earlier) {
        for (EpochEvent event : earlier) {
            if (!observe(event) && wait >= patience) stopped = true;
        }
    }

    /** Updates the best value and the wait for one epoch; true when the epoch improved on the best. */
    private boolean observe(EpochEvent event) {
        double v = metric(event, monitor);
        boolean improved = Double.isFinite(v) && (Double.isNaN(best)
                || (mode == Mode.MIN ? v < best - minDelta : v > best + minDelta));
        if (improved) {
            best = v;
            bestEpoch = event.epoch();
            wait = 0;
        } else {
            wait++;
        }
        return improved;
    }

    /** Why the run stopped, as the trainer reports it. */
    public String reason() {
        return "early stopping: " + monitor + " did not improve for " + patience + " epoch" + (patience == 1 ? "" : "s")
                + (bestEpoch > 0 ? " (best " + best + " at epoch " + bestEpoch + ")" : "");
    }

    @Override
    public void onTrainingEnd(Trainer trainer, TrainingResult result) {
        if (restoreBest && bestSnapshot != null) bestSnapshot.restoreModel(trainer.model());
    }

    /** The epoch (1-based) with the best metric so far, 0 before any finite value. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValue() {
        return best;
    }

    public boolean stoppedEarly() {
        return stopped;
    }

    /** The in-memory checkpoint of the best epoch (null unless restoreBest). */
    public Checkpoint bestCheckpoint() {
        return bestSnapshot;
    }

    public String monitor() {
        return monitor;
    }
}
