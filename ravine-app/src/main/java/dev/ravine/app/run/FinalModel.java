package dev.ravine.app.run;

import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.ModelBuilder;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.NormalizerFile;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.data.Normalizer;
import dev.ravine.io.CheckpointException;
import dev.ravine.io.CheckpointFile;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Trainer;
import java.nio.file.Path;
import java.util.List;

/** A finished run's model with the weights of its newest checkpoint, its resolved config and its normalizer. */
record FinalModel(RunDirectory run, RunConfig config, BuiltModel model, Normalizer normalizer) {

    static FinalModel load(RunDirectory run, Path workingDir) {
        RunConfig config = ConfigReader.read(run.config(), List.of(), workingDir);
        Path checkpoint = Trainer.latestCheckpoint(run.checkpoints());
        if (checkpoint == null) {
            throw new CheckpointException("run " + run.display(workingDir) + " has no checkpoint in checkpoints/; nothing to evaluate");
        }
        BuiltModel model = ModelBuilder.build(config.model().layers(), config.model().input(), new Rng(config.seed()));
        CheckpointFile.read(checkpoint).restoreModel(model.network());
        return new FinalModel(run, config, model, NormalizerFile.read(run.normalizer()));
    }
}
