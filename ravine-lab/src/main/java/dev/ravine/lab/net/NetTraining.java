package dev.ravine.lab.net;

import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Evaluation;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;

/**
 * Trains a lab's classifier with Ravine's own {@link Trainer} (cross-entropy, the named optimizer, shuffled batches,
 * no checkpoints on disk) and evaluates it the way the trainer does (inference mode, no graph).
 *
 * @param trainer the trainer after the run: its model, optimizer and step count
 * @param result  what {@link Trainer#fit} returned
 */
public record NetTraining(Trainer trainer, TrainingResult result) {
    public static NetTraining fit(Module model, OptimizerAssembly optimizer, Dataset train, int batchSize, int epochs, long seed,
                                  TrainingListener... listeners) {
        Trainer t = new Trainer(model, new CrossEntropyLoss(), optimizer.build(model.namedParameters()), new Rng(seed), TrainingOptions.epochs(epochs));
        for (TrainingListener l : listeners) t.addListener(l);
        TrainingResult r = t.fit(new DataLoader(train, batchSize, true, false, seed), null);
        return new NetTraining(t, r);
    }

    /** Mean loss and accuracy of the trained model over {@code data}. */
    public Evaluation evaluate(Dataset data) {
        return trainer.evaluate(new DataLoader(data, Math.min(data.size(), 1000), false, false, 0));
    }

    /** The whole data set (or its first {@code n} samples) as one batch, in its order. */
    public static Batch batch(Dataset data, int n) {
        return new DataLoader(data, Math.min(n, data.size()), false, true, 0).epoch(0).iterator().next();
    }
}
