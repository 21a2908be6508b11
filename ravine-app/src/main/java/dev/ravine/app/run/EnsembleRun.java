package dev.ravine.app.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.build.RunData;
import dev.ravine.app.build.RunSplit;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.data.Dataset;
import dev.ravine.io.AtomicFile;
import dev.ravine.nn.loss.Loss;
import dev.ravine.train.ClassProbabilities;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ravine ensemble}: trains the members of one config with consecutive seeds, each a complete run folder, then
 * predicts with every member's final model and with the ensemble, whose class probabilities are the mean of the
 * members' (each member normalizes the inputs with its own normalizer). For each member and for the ensemble it
 * measures test accuracy, test loss (the cross-entropy of the predicted probabilities) and accuracy on the clean
 * training part (no augmentation or noise); the ensemble's training accuracy needs every member to have the same
 * training part (as with data.train_subset and no validation split), otherwise it is null.
 */
public final class EnsembleRun {
    public record Request(Path config, List<String> overrides, int members, Path out, Path workingDir, boolean interactive) {}

    /** One row of the result: a member (1-based) or, with member 0, the ensemble. */
    record Row(int member, long seed, String run, double trainAccuracy, double testAccuracy, double testLoss) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EnsembleRun() {}

    public static int execute(Request request, PrintWriter out) {
        if (request.members() < 1) throw new ConfigException("--members must be at least 1, got " + request.members());
        RunConfig base = ConfigReader.read(request.config(), request.overrides(), request.workingDir());
        if (!Loss.byName(base.loss()).isClassification()) {
            throw new ConfigException("an ensemble averages class probabilities, so it needs a classification loss (cross_entropy or "
                    + "nll), got loss: " + base.loss());
        }
        if (base.data().test() == null) throw new ConfigException("an ensemble is scored on a test set: give data.test in the config");
        Path root = createRoot(request, base.name());
        List<RunDirectory> runs = new ArrayList<>();
        for (int i = 0; i < request.members(); i++) {
            List<String> overrides = new ArrayList<>(request.overrides());
            overrides.add("seed=" + (base.seed() + i));
            out.println("ensemble member " + (i + 1) + " of " + request.members() + " (seed " + (base.seed() + i) + ")");
            var member = new TrainingRun.Request(request.config(), overrides, root.resolve("member-" + (i + 1)), null,
                    request.workingDir(), request.interactive());
            TrainingRun.Outcome outcome = TrainingRun.execute(member, out);
            if (outcome.exitCode() != ExitCode.OK) return outcome.exitCode();
            runs.add(outcome.run());
        }
        List<Row> rows = score(base, runs, request.workingDir());
        write(root.resolve("ensemble.json"), base, rows);
        print(out, rows, TextFormat.path(root, request.workingDir()));
        return ExitCode.OK;
    }

    private static Path createRoot(Request request, String name) {
        Path root = request.out() != null ? request.out().toAbsolutePath().normalize()
                : request.workingDir().resolve("runs").resolve(name + "-ensemble-" + RunDirectory.STAMP.format(LocalDateTime.now()));
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("--out " + request.out()
                                + " already exists and is not empty; choose a new folder");
                    }
                }
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ensemble folder " + root + ": " + e.getMessage(), e);
        }
        return root;
    }

    /** Each member's and the ensemble's accuracy on the clean training part and on the test set. */
    private static List<Row> score(RunConfig base, List<RunDirectory> runs, Path workingDir) {
        Dataset rawTest = RunData.read(base.data().test(), "test", base.data().label(), false);
        int[] testLabels = rawTest.labels();
        List<ClassProbabilities> testMembers = new ArrayList<>(), trainMembers = new ArrayList<>();
        List<Dataset> trainParts = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            FinalModel m = FinalModel.load(runs.get(i), workingDir);
            int batch = m.config().training().batchSize();
            Dataset train = RunSplit.of(m.config(), "train", false);
            ClassProbabilities test = ClassProbabilities.of(m.model().network(), m.normalizer().apply(rawTest), batch);
            ClassProbabilities fit = ClassProbabilities.of(m.model().network(), train, batch);
            testMembers.add(test);
            trainMembers.add(fit);
            trainParts.add(train);
            rows.add(new Row(i + 1, m.config().seed(), runs.get(i).root().getFileName().toString(), fit.accuracy(train.labels()),
                    test.accuracy(testLabels), test.logLoss(testLabels)));
        }
        double ensembleTrain = sameSamples(trainParts)
                ? ClassProbabilities.mean(trainMembers).accuracy(trainParts.getFirst().labels()) : Double.NaN;
        ClassProbabilities ensembleTest = ClassProbabilities.mean(testMembers);
        rows.add(new Row(0, base.seed(), null, ensembleTrain, ensembleTest.accuracy(testLabels), ensembleTest.logLoss(testLabels)));
        return rows;
    }

    private static boolean sameSamples(List<Dataset> parts) {
        Dataset first = parts.getFirst();
        return parts.stream().allMatch(d -> Arrays.equals(d.features(), first.features()) && Arrays.equals(d.labels(), first.labels()));
    }

    private static void write(Path file, RunConfig base, List<Row> rows) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("config", base.file().toString());
        List<Map<String, Object>> members = new ArrayList<>();
        for (Row r : rows.subList(0, rows.size() - 1)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.run());
            m.put("seed", r.seed());
            m.put("train_accuracy", finite(r.trainAccuracy()));
            m.put("test_accuracy", finite(r.testAccuracy()));
            m.put("test_loss", finite(r.testLoss()));
            members.add(m);
        }
        json.put("members", members);
        Row e = rows.getLast();
        Map<String, Object> ensemble = new LinkedHashMap<>();
        ensemble.put("members", members.size());
        ensemble.put("train_accuracy", finite(e.trainAccuracy()));
        ensemble.put("test_accuracy", finite(e.testAccuracy()));
        ensemble.put("test_loss", finite(e.testLoss()));
        json.put("ensemble", ensemble);
        try {
            AtomicFile.writeString(file, JSON.writeValueAsString(json) + "\n");
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static void print(PrintWriter out, List<Row> rows, String shown) {
        out.println();
        out.println(String.format(Locale.ROOT, "%-10s %6s %10s %10s %10s", "", "seed", "train acc", "test acc", "test loss"));
        for (Row r : rows) {
            String name = r.member() == 0 ? "ensemble" : "member " + r.member();
            String seed = r.member() == 0 ? "" : Long.toString(r.seed());
            String train = Double.isNaN(r.trainAccuracy()) ? "-" : TextFormat.percent(r.trainAccuracy());
            out.println(String.format(Locale.ROOT, "%-10s %6s %10s %10s %10s", name, seed, train, TextFormat.percent(r.testAccuracy()),
                    TextFormat.loss(r.testLoss())));
        }
        out.println("ensemble of " + (rows.size() - 1) + " written to " + shown + "/ensemble.json");
        out.flush();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
