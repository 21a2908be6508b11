package dev.ravine.app.config;

import java.nio.file.Path;

/**
 * A whole run configuration, as read from YAML with every default filled in.
 *
 * @param name the config's name (its file name without extension), used to name run directories
 * @param file the config file it was read from
 * @param loss a name from {@code Loss.NAMES}
 * @param schedule the learning-rate schedule, or null for a constant lr
 */
public record RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                        OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule) {

    public RunConfig withModel(ModelConfig resolved) {
        return new RunConfig(name, file, seed, data, resolved, loss, optimizer, training, schedule);
    }

    public RunConfig withTraining(TrainingConfig resolved) {
        return new RunConfig(name, file, seed, data, model, loss, optimizer, resolved, schedule);
    }
}
