package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.build.ModelDataCheck;
import dev.ravine.app.build.RunData;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.DataSource;
import dev.ravine.app.run.FinalModel;
import dev.ravine.app.store.RunCheckpoint;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.autograd.GradMode;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.ImageFolderReader;
import dev.ravine.io.AtomicFile;
import dev.ravine.nn.Module;
import dev.ravine.train.ClassProbabilities;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
 * {@code ravine predict RUN_DIR --data SRC --out predictions.csv}: the run's model (best.ckpt, else the newest
 * checkpoint; it says which) on every sample of a data set, normalized as in training, written as CSV: for a
 * classifier {@code sample,class,label,p0..pK-1} (the most probable class, the sample's label in the file, and each
 * class's probability; after label, {@code class_name} for a run trained on an images: folder), for a regression
 * {@code sample,y0..,target0..}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a run's predictions for a data set as CSV: class and class probabilities",
                "(or a regression's outputs), with the best checkpoint (else the newest)."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "a run folder or a checkpoint file in RUN/checkpoints/")
    Path target;

    @Option(names = "--data", paramLabel = "SRC", required = true,
            description = "the samples: idx:PREFIX, csv:FILE, images:DIR, cifar:PATH, ...; relative paths from the current folder")
    String data;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the CSV file to write, e.g. predictions.csv")
    Path out;

    @Option(names = "--label", paramLabel = "COL", description = "the label column of a csv file (default: the run's data.label)")
    String label;

    @Option(names = "--newest", description = "use the newest rolling checkpoint instead of checkpoints/best.ckpt")
    boolean newest;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        RunDirectory run = RunDirectory.of(target);
        FinalModel model = FinalModel.load(run, main.workingDir(), RunCheckpoint.choose(run, target, newest, main.workingDir()));
        DataSource source = parseSource();
        String column = label != null ? label : model.config().data().label();
        if (source.format() == DataSource.Format.CSV && column == null) {
            throw new ConfigException("--data " + source + " is a csv file: name its label column with --label COL");
        }
        boolean regression = ModelDataCheck.isRegression(model.config().loss());
        Dataset raw = RunData.read(source, "prediction", column, regression);
        ModelDataCheck.requireInput(model.config(), raw);
        Dataset dataset = model.normalizer().apply(raw);
        int batch = model.config().training().batchSize();
        Path file = main.workingDir().resolve(out);
        String csv = regression ? regressionCsv(model.model().network(), dataset, batch)
                : classCsv(model.model().network(), dataset, batch, classNames(model.config().data().train()));
        try {
            AtomicFile.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        o.println("weights:     " + model.checkpoint().describe(main.workingDir()));
        o.println("data:        " + source + ", " + TextFormat.count(dataset.size()) + " samples");
        o.println("predictions: " + TextFormat.path(file, main.workingDir()));
        return ExitCode.OK;
    }

    private DataSource parseSource() {
        try {
            return DataSource.parse(data, main.workingDir());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--data " + e.getMessage());
        }
    }

    /** An images: run's class names (its training folder's sub-folders), else null: the classes are numbers only. */
    private static List<String> classNames(DataSource train) {
        if (train.format() != DataSource.Format.IMAGES || !Files.isDirectory(train.path())) return null;
        return ImageFolderReader.classNames(train.path());
    }

    /** @param names the class names, for a class_name column, or null */
    static String classCsv(Module model, Dataset dataset, int batchSize, List<String> names) {
        ClassProbabilities p = ClassProbabilities.of(model, dataset, batchSize);
        int[] predicted = p.predictions();
        int[] labels = dataset.labels();
        StringBuilder csv = new StringBuilder("sample,class,label");
        if (names != null) csv.append(",class_name");
        for (int c = 0; c < p.classes(); c++) csv.append(",p").append(c);
        csv.append('\n');
        for (int i = 0; i < p.samples(); i++) {
            csv.append(i).append(',').append(predicted[i]).append(',').append(labels[i]);
            if (names != null) csv.append(',').append(predicted[i] < names.size() ? names.get(predicted[i]) : "");
            for (int c = 0; c < p.classes(); c++) csv.append(',').append(number(p.values()[i * p.classes() + c]));
            csv.append('\n');
        }
        return csv.toString();
    }

    static String regressionCsv(Module model, Dataset dataset, int batchSize) {
        int t = dataset.targetSize();
        StringBuilder csv = new StringBuilder("sample");
        for (int j = 0; j < t; j++) csv.append(",y").append(j);
        for (int j = 0; j < t; j++) csv.append(",target").append(j);
        csv.append('\n');
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var scope = GradMode.noGrad()) {
            for (Batch b : new DataLoader(dataset, batchSize, false, false, 0).epoch(0)) {
                float[] y = model.call(b.inputs()).toArray();
                int first = b.index() * batchSize;
                for (int k = 0; k < b.size(); k++) {
                    csv.append(first + k);
                    for (int j = 0; j < t; j++) csv.append(',').append(number(y[k * t + j]));
                    for (int j = 0; j < t; j++) csv.append(',').append(number(dataset.targets()[(first + k) * t + j]));
                    csv.append('\n');
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return csv.toString();
    }

    private static String number(float v) {
        return TextFormat.significant(v, 6);
    }
}
