package dev.ravine.app.config;

/**
 * The {@code training} section.
 *
 * @param checkpointEvery write a checkpoint every this many steps besides each epoch's end (0: epoch ends only)
 * @param threads         compute threads for this run, or null for one per available processor
 * @param keepCheckpoints how many of the newest checkpoint files to keep
 * @param earlyStopping   the early_stopping setting, or null when off
 */
public record TrainingConfig(int epochs, int batchSize, int checkpointEvery, boolean dropLast, Integer threads,
                             int keepCheckpoints, Origin origin, EarlyStoppingConfig earlyStopping) {

    public TrainingConfig(int epochs, int batchSize, int checkpointEvery, boolean dropLast, Integer threads, int keepCheckpoints, Origin origin) {
        this(epochs, batchSize, checkpointEvery, dropLast, threads, keepCheckpoints, origin, null);
    }

    public TrainingConfig withThreads(int resolved) {
        return new TrainingConfig(epochs, batchSize, checkpointEvery, dropLast, resolved, keepCheckpoints, origin, earlyStopping);
    }
}
