package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.LossBuilder;
import dev.ravine.app.build.ModelBuilder;
import dev.ravine.app.build.ModelDataCheck;
import dev.ravine.app.build.RunData;
import dev.ravine.app.build.RunOptimizer;
import dev.ravine.app.build.RunSplit;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.DataSource;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.NormalizerFile;
import dev.ravine.app.store.RunCheckpoint;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.Normalizer;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointException;
import dev.ravine.io.CheckpointFile;
import dev.ravine.kernel.ComputePool;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.train.AdversarialEvaluation;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.ConfusionMatrix;
import dev.ravine.train.Evaluation;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine eval RUN_DIR|CHECKPOINT --data idx:PREFIX|csv:FILE [--label COL]}: rebuilds the model from the run's
 * config.yaml, loads the weights of checkpoints/best.ckpt (else the newest checkpoint, or the one given; it says
 * which), applies the run's normalizer to the data and prints loss and accuracy, and for a classifier each class's
 * precision, recall and F1 and the confusion matrix. It writes nothing.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Evaluates a run's best checkpoint (else its newest, or a given one) on a data set:",
                "loss, accuracy, per-class precision, recall and F1, and the confusion matrix.",
                "Applies the normalizer the run was trained with; writes nothing."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT",
            description = "a run folder (its best.ckpt is used, else its newest checkpoint) or a checkpoint file in RUN/checkpoints/")
    Path target;

    @Option(names = "--data", paramLabel = "idx:PREFIX|csv:FILE",
            description = "the data to evaluate on (default: the run's test set); relative paths from the current folder")
    String data;

    @Option(names = "--label", paramLabel = "COL", description = "the label column of a csv file (default: the run's data.label)")
    String label;

    @Option(names = "--split", paramLabel = "train|validation|test",
            description = "evaluate on a part of the run's own data, read, subset and split as in training (train: the clean "
                    + "training samples, without augmentation or noise); instead of --data")
    String split;

    @Option(names = "--newest", description = "use the newest rolling checkpoint instead of checkpoints/best.ckpt")
    boolean newest;

    @Option(names = "--attack", paramLabel = "fgsm|pgd",
            description = "also evaluate on adversarial examples of the data (robust accuracy), with --epsilon")
    String attack;

    @Option(names = "--epsilon", paramLabel = "E", description = "the attack's L-infinity radius, in normalized input units")
    Double epsilon;

    @Option(names = "--steps", paramLabel = "N", description = "pgd: the number of steps (default 10)")
    Integer steps;

    @Option(names = "--step-size", paramLabel = "S", description = "pgd: the size of each step (default 2.5 * epsilon / steps)")
    Double stepSize;

    @Override
    public Integer call() {
        RunDirectory run = RunDirectory.of(target);
        RunConfig config = ConfigReader.read(run.config(), List.of(), main.workingDir());
        Integer threads = config.training().threads();
        if (threads == null || threads == ComputePool.threads()) return evaluate(run, config);
        int[] code = new int[1];
        ComputePool.runWithThreads(threads, () -> code[0] = evaluate(run, config));
        return code[0];
    }

    private int evaluate(RunDirectory run, RunConfig config) {
        EvalAttack.parse(attack, epsilon, steps, stepSize); // bad attack options fail before the (slow) data loading
        RunCheckpoint chosen = RunCheckpoint.choose(run, target, newest, main.workingDir());
        Path checkpointFile = chosen.file();
        PrintWriter out = spec.commandLine().getOut();
        out.println("weights:    " + chosen.describe(main.workingDir()));
        if (split != null) return evaluate(run, config, checkpointFile, RunSplit.of(config, split, data != null), "the run's " + split + " data");
        DataSource source = data != null ? parseSource(data) : config.data().test();
        if (source == null) {
            throw new ConfigException("the run has no test set; give the data to evaluate on with --data idx:PREFIX or --data csv:FILE");
        }
        String column = label != null ? label : config.data().label();
        if (source.format() == DataSource.Format.CSV && column == null) {
            throw new ConfigException("--data " + source + " is a csv file: name its label column with --label COL");
        }

        boolean regression = ModelDataCheck.isRegression(config.loss());
        Dataset raw = RunData.read(source, "evaluation", column, regression);
        ModelDataCheck.requireInput(config, raw);
        Normalizer normalizer = NormalizerFile.read(run.normalizer());
        return evaluate(run, config, checkpointFile, normalizer.apply(raw), source + " (normalize " + normalizer.kind().id() + ")");
    }

    /** Prints the loss and accuracy of the checkpoint's model on {@code dataset} (already normalized). */
    private int evaluate(RunDirectory run, RunConfig config, Path checkpointFile, Dataset dataset, String described) {
        PrintWriter out = spec.commandLine().getOut();
        int[] input = config.model().input() != null ? config.model().input() : dataset.sampleShape();
        Rng rng = new Rng(config.seed());
        BuiltModel model = ModelBuilder.build(config.model().layers(), input, rng);
        ModelDataCheck.requireFits(config, model, dataset, dataset.isClassification() ? dataset.numClasses() : 0);
        Checkpoint checkpoint = CheckpointFile.read(checkpointFile);
        checkpoint.restoreModel(model.network());
        Loss loss = LossBuilder.create(config.lossOptions().resolved(dataset));
        Trainer trainer = new Trainer(model.network(), loss, RunOptimizer.optimizer(config.optimizer(), model.network().namedParameters()), rng,
                TrainingOptions.epochs(1));
        Evaluation e = trainer.evaluate(new DataLoader(dataset, config.training().batchSize(), false, false, config.seed()));

        out.println("run:        " + run.display(main.workingDir()));
        String position = checkpoint.batchInEpoch() == 0 ? "end of epoch " + checkpoint.epoch()
                : "epoch " + (checkpoint.epoch() + 1) + ", batch " + checkpoint.batchInEpoch();
        out.println("checkpoint: " + TextFormat.path(checkpointFile, main.workingDir()) + " (step " + checkpoint.step() + ", "
                + position + ")");
        out.println("data:       " + described + ", " + TextFormat.count(e.samples()) + " samples");
        String accuracy = Double.isNaN(e.accuracy()) ? ""
                : "  accuracy " + TextFormat.percent(e.accuracy()) + " (" + Math.round(e.accuracy() * e.samples()) + "/" + e.samples()
                + " correct)";
        out.println(loss.name() + " loss " + TextFormat.fixed(e.loss(), 6) + accuracy);
        if (dataset.isClassification()) {
            ClassProbabilities probabilities = ClassProbabilities.of(model.network(), dataset, config.training().batchSize());
            ConfusionTable.print(out, ConfusionMatrix.of(probabilities, dataset.labels()));
        }
        EvalAttack adversary = EvalAttack.parse(attack, epsilon, steps, stepSize);
        if (adversary != null) {
            Evaluation r = AdversarialEvaluation.evaluate(model.network(), loss, adversary.create(dataset),
                    new DataLoader(dataset, config.training().batchSize(), false, false, config.seed()), config.seed());
            out.println("under " + adversary.describe() + ": " + loss.name() + " loss " + TextFormat.fixed(r.loss(), 6)
                    + "  accuracy " + TextFormat.percent(r.accuracy()) + " (" + Math.round(r.accuracy() * r.samples()) + "/" + r.samples()
                    + " correct)");
        }
        out.flush();
        return ExitCode.OK;
    }

    private DataSource parseSource(String text) {
        try {
            return DataSource.parse(text, main.workingDir());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--data " + e.getMessage());
        }
    }
}
