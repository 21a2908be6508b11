package dev.ravine.train;

import java.nio.file.Path;

/**
 * How the trainer runs: number of epochs, where checkpoints go (null: only in memory), how often an on-disk
 * checkpoint is written besides each epoch's end (0: only at epoch ends), and how many checkpoints to keep.
 */
public record TrainingOptions(int epochs, Path checkpointDir, int checkpointEverySteps, int keepCheckpoints) {
    public TrainingOptions {
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        if (checkpointEverySteps < 0) throw new IllegalArgumentException("checkpointEverySteps must be >= 0");
        if (keepCheckpoints < 1) throw new IllegalArgumentException("keepCheckpoints must be >= 1");
    }

    public static TrainingOptions epochs(int epochs) {
        return new TrainingOptions(epochs, null, 0, 2);
    }

    public TrainingOptions withCheckpoints(Path dir, int everySteps) {
        return new TrainingOptions(epochs, dir, everySteps, keepCheckpoints);
    }
}
