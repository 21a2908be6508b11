package dev.ravine.app.config;

import java.nio.file.Path;

/**
 * A whole run configuration, as read from YAML with every default filled in.
 *
 * @param name the config's name (its file name without extension), used to name run directories
 * @param file the config file it was read from
 * @param loss a name from {@code Loss.NAMES}
 * @param schedule the learning-rate schedule, or null for a constant lr
 * @param toolbox gradient clipping, regularization and parameter groups ({@link ToolboxConfig#NONE} when absent)
 * @param adversarial adversarial training, or null
 * @param pretrain RBM pre-training of the model's linear -> sigmoid blocks before training, or null for none
 * @param lossOptions the loss with its options ({@code loss} is its name); null means the named loss with torch's defaults
 */
public record RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                        OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule, ToolboxConfig toolbox,
                        DoctorConfig doctor, AdversarialConfig adversarial, PretrainConfig pretrain, LossConfig lossOptions) {

    public RunConfig {
        if (toolbox == null) toolbox = ToolboxConfig.NONE;
        if (doctor == null) doctor = DoctorConfig.DEFAULT;
        if (lossOptions == null && loss != null) lossOptions = LossConfig.named(loss);
    }

    public RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                     OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule, ToolboxConfig toolbox,
                     DoctorConfig doctor, AdversarialConfig adversarial, PretrainConfig pretrain) {
        this(name, file, seed, data, model, loss, optimizer, training, schedule, toolbox, doctor, adversarial, pretrain, null);
    }

    public RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                     OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule, ToolboxConfig toolbox,
                     DoctorConfig doctor, AdversarialConfig adversarial) {
        this(name, file, seed, data, model, loss, optimizer, training, schedule, toolbox, doctor, adversarial, null);
    }

    public RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                     OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule, ToolboxConfig toolbox,
                     DoctorConfig doctor) {
        this(name, file, seed, data, model, loss, optimizer, training, schedule, toolbox, doctor, null, null);
    }

    public RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                     OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule, ToolboxConfig toolbox) {
        this(name, file, seed, data, model, loss, optimizer, training, schedule, toolbox, DoctorConfig.DEFAULT);
    }

    public RunConfig(String name, Path file, long seed, DataConfig data, ModelConfig model, String loss,
                     OptimizerConfig optimizer, TrainingConfig training, ScheduleConfig schedule) {
        this(name, file, seed, data, model, loss, optimizer, training, schedule, ToolboxConfig.NONE);
    }

    public RunConfig withModel(ModelConfig resolved) {
        return new RunConfig(name, file, seed, data, resolved, loss, optimizer, training, schedule, toolbox, doctor, adversarial,
                pretrain, lossOptions);
    }

    public RunConfig withTraining(TrainingConfig resolved) {
        return new RunConfig(name, file, seed, data, model, loss, optimizer, resolved, schedule, toolbox, doctor, adversarial,
                pretrain, lossOptions);
    }

    /** This config with its loss replaced (weight: balanced resolved into numbers, for the run directory). */
    public RunConfig withLoss(LossConfig resolved) {
        return new RunConfig(name, file, seed, data, model, loss, optimizer, training, schedule, toolbox, doctor, adversarial,
                pretrain, resolved);
    }
}
