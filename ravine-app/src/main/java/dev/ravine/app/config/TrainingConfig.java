package dev.ravine.app.config;

/**
 * The {@code training} section.
 *
 * @param checkpointEvery write a checkpoint every this many steps besides each epoch's end (0: epoch ends only)
 * @param threads         compute threads for this run, or null for one per available processor
 * @param keepCheckpoints how many of the newest checkpoint files to keep
 */
public record TrainingConfig(int epochs, int batchSize, int checkpointEvery, boolean dropLast, Integer threads,
                             int keepCheckpoints, Origin origin) {

    public TrainingConfig withThreads(int resolved) {
        return new TrainingConfig(epochs, batchSize, checkpointEvery, dropLast, resolved, keepCheckpoints, origin);
    }
}
