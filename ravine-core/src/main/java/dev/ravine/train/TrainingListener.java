package dev.ravine.train;

/**
 * Callbacks on the trainer's events. The doctor's instruments, progress bars and run stores are listeners; they
 * read the model through {@link Trainer} and act only through its public controls.
 */
public interface TrainingListener {
    default void onTrainingStart(Trainer trainer) {}

    /** After backward, before the optimizer step: gradients are in place. */
    default void onGradients(Trainer trainer, long step) {}

    default void onBatchEnd(Trainer trainer, BatchEvent event) {}

    /**
     * The loss of a batch was NaN or infinite; no step was taken. Unless a listener calls {@link Trainer#rollback}
     * now (a repair), the run ends as diverged.
     */
    default void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {}

    /**
     * The gradients of a batch had a NaN or infinite total norm and the optimizer refused the step (clipping with
     * error_if_nonfinite); the loss was finite, the gradients are still in place and the weights are unchanged. As
     * after a non-finite loss, unless a listener calls {@link Trainer#rollback} now the run ends as diverged.
     */
    default void onNonFiniteGradients(Trainer trainer, long step, int epoch, double loss, double gradientNorm) {}

    default void onEpochEnd(Trainer trainer, EpochEvent event) {}

    /**
     * Just before a checkpoint of the current step is written: what a listener keeps about the steps so far (a run
     * database's rows) is committed now, so that after a crash it holds at least every step up to the newest
     * checkpoint, and a resumed run continues both from the same step.
     */
    default void beforeCheckpoint(Trainer trainer, long step) {}

    default void onCheckpoint(Trainer trainer, java.nio.file.Path file) {}

    default void onTrainingEnd(Trainer trainer, TrainingResult result) {}
}
