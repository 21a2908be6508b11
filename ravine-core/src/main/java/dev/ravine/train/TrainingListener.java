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

    default void onEpochEnd(Trainer trainer, EpochEvent event) {}

    default void onCheckpoint(Trainer trainer, java.nio.file.Path file) {}

    default void onTrainingEnd(Trainer trainer, TrainingResult result) {}
}
