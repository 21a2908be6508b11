package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.RunConfig;
import dev.ravine.data.Dataset;
import java.util.List;

/**
 * One part of a run's own data (train, validation or test), read, subset, split and normalized exactly as the run
 * did: its config.yaml holds the sources, subset, split fraction and seed, and the normalizer is fitted on the same
 * training part again, which gives the same parameters. The training part comes without augmentation or noise,
 * which act on batches only: evaluating on it measures the final train accuracy for the train-test gap.
 */
public final class RunSplit {
    static final List<String> NAMES = List.of("train", "validation", "test");

    private RunSplit() {}

    public static Dataset of(RunConfig config, String split, boolean dataGiven) {
        if (dataGiven) throw new ConfigException("give either --data or --split, not both");
        if (!NAMES.contains(split)) {
            throw new ConfigException("--split " + split + " is not a part of the run's data; valid: " + String.join(", ", NAMES));
        }
        RunData data = RunData.load(config.data(), ModelDataCheck.isRegression(config.loss()), config.seed());
        Dataset part = switch (split) {
            case "train" -> data.train();
            case "validation" -> data.validation();
            default -> data.test();
        };
        if (part == null) {
            throw new ConfigException("the run has no " + split + " data (see data." + split
                    + (split.equals("validation") ? " and data.validation_split" : "") + " in its config.yaml)");
        }
        return part;
    }
}
