package dev.ravine.app.run;

import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.ModelBuilder;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.NormalizerFile;
import dev.ravine.app.store.RunCheckpoint;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.data.Normalizer;
import dev.ravine.io.CheckpointFile;
import dev.ravine.tensor.Rng;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished run's model with the weights of a chosen checkpoint (by default best.ckpt, else the newest: {@link
 * RunCheckpoint}), its resolved config and its normalizer.
 */
public record FinalModel(RunDirectory run, RunConfig config, BuiltModel model, Normalizer normalizer, RunCheckpoint checkpoint) {

    /** With the run's default weights: best.ckpt, else the newest checkpoint. */
    public static FinalModel load(RunDirectory run, Path workingDir) {
        return load(run, workingDir, RunCheckpoint.choose(run, null, false, workingDir));
    }

    public static FinalModel load(RunDirectory run, Path workingDir, RunCheckpoint checkpoint) {
        RunConfig config = ConfigReader.read(run.config(), List.of(), workingDir);
        BuiltModel model = ModelBuilder.build(config.model().layers(), config.model().input(), new Rng(config.seed()));
        CheckpointFile.read(checkpoint.file()).restoreModel(model.network());
        return new FinalModel(run, config, model, NormalizerFile.read(run.normalizer()), checkpoint);
    }
}
