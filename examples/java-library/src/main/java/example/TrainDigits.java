package example;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.Normalizer;
import dev.ravine.io.CheckpointFile;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Evaluation;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains a small MLP on MNIST digits with Ravine's Java API, saves it, loads it into a fresh model and checks that the
 * loaded model scores the same. Usage: {@code TrainDigits DATA_DIR MODEL_FILE}, where DATA_DIR holds
 * {@code train-*-ubyte} and {@code t10k-*-ubyte} (Ravine's data/mnist-10k). Run with
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/lib/* example.TrainDigits ...}.
 */
public final class TrainDigits {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TrainDigits DATA_DIR MODEL_FILE   (DATA_DIR: e.g. Ravine's data/mnist-10k)");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path modelFile = Path.of(args[1]);

        Dataset rawTrain = IdxReader.read(data.resolve("train"));
        Dataset rawTest = IdxReader.read(data.resolve("t10k"));
        Normalizer scale = Normalizer.fit(Normalizer.Kind.SCALE01, rawTrain);   // fitted on the training set only
        Dataset train = scale.apply(rawTrain);
        Dataset test = scale.apply(rawTest);

        Rng rng = new Rng(7);
        Module model = newModel(rng);
        Optimizer adam = Optimizers.adam(model.namedParameters(), 1e-3);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), adam, rng, TrainingOptions.epochs(2));
        TrainingResult result = trainer.fit(new DataLoader(train, 128, true, false, 7), null);
        Evaluation trained = trainer.evaluate(new DataLoader(test, 500, false, false, 7));
        System.out.printf(Locale.ROOT, "trained %d epochs (%s), test accuracy %.2f%%%n", result.epochs(), result.status(),
                100 * trained.accuracy());

        CheckpointFile.write(modelFile, trainer.snapshot());                    // weights, optimizer state, Rng
        Module loaded = newModel(new Rng(99));                                   // other initial weights...
        CheckpointFile.read(modelFile).restoreModel(loaded);                     // ...replaced by the saved ones
        Evaluation reloaded = new Trainer(loaded, new CrossEntropyLoss(), Optimizers.adam(loaded.namedParameters(), 1e-3),
                new Rng(7), TrainingOptions.epochs(1)).evaluate(new DataLoader(test, 500, false, false, 7));
        System.out.printf(Locale.ROOT, "saved %s; reloaded test accuracy %.2f%%%n", modelFile, 100 * reloaded.accuracy());
        if (reloaded.accuracy() != trained.accuracy()) {
            System.err.println("the reloaded model scores differently from the saved one");
            System.exit(1);
        }
    }

    private static Module newModel(Rng rng) {
        return new Sequential(new Flatten(), new Linear(784, 64, true, rng), Activation.relu(), new Linear(64, 10, true, rng));
    }
}
