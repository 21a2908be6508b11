package dev.ravine.lab.labs;

import dev.ravine.data.Dataset;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.HeatMapChart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.lab.net.DigitData;
import dev.ravine.lab.net.DoctoredRun;
import dev.ravine.lab.net.ScratchFolder;
import dev.ravine.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Lab 13, note 004's checklist for a network that does not converge: unshuffled batches, unnormalized features, label
 * noise, labels that are pure noise, and a model that cannot even overfit a small subset. Each fault is planted in
 * otherwise healthy digits data, trained with {@code ravine train}'s own code path, and the doctor's findings read
 * back: the verdict is whether it named each fault.
 */
public final class NonConvergenceLab implements Lab {
    /** A fault planted in the data or the model, and the finding that names it. */
    private enum Fault {
        CONTROL("control (healthy)", null),
        UNSHUFFLED("unshuffled batches", "data_unshuffled"),
        UNNORMALIZED("unnormalized features", "data_scale"),
        LABEL_NOISE("30% label noise", "label_noise"),
        PURE_NOISE("pure-noise labels", "label_noise"),
        CANNOT_OVERFIT("cannot overfit (12 plain ReLU layers)", "optimization_issue");

        final String label, expected;

        Fault(String label, String expected) {
            this.label = label;
            this.expected = expected;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int SAMPLES = 1000, BATCH = 32, WIDTH = 64, DEEP_LAYERS = 12;
    /**
     * The quick run's data and batch: 600 samples (the label-noise check needs 50 a class) in batches of 16, so that the
     * sorted data still gives about 31 batches a pass, most of them of one class, as the full run's 1000 in batches of
     * 32 do; the data checks, the label draws and the end-of-run checks then see what they see in a full run, at a
     * third of the neighbour search and half the CSV.
     */
    private static final int QUICK_SAMPLES = 600, QUICK_BATCH = 16;
    /** MNIST's raw pixels have mean about 33 and standard deviation about 78: the unnormalized case's affine map. */
    private static final double RAW_SCALE = 78, RAW_OFFSET = 33, NOISE_FRACTION = 0.3;

    @Override
    public String name() {
        return "non-convergence-checklist";
    }

    @Override
    public int number() {
        return 13;
    }

    @Override
    public String title() {
        return "The non-convergence checklist, diagnosed by the doctor";
    }

    @Override
    public String note() {
        return "004_88f3164683877823.txt";
    }

    @Override
    public String claim() {
        return "When a network does not converge, a short checklist finds most causes: the batches are not shuffled (data sorted by "
                + "label gives batches of one class, and each step drags the model toward that class); the features are not "
                + "normalized (raw values in the hundreds make the first layer's pre-activations far larger than its initialization "
                + "was sized for); some labels are wrong (label noise); the labels carry no information at all (pure noise: nothing "
                + "to learn but memorization); and the model cannot even overfit a small subset of the data (then the problem is the "
                + "model or the optimization, not the data). Ravine's training doctor is meant to run that checklist itself: this "
                + "lab plants each fault and asks whether the doctor names it.";
    }

    @Override
    public String method() {
        return "Digits (" + SAMPLES + " training samples of 14 x 14 MNIST images; quick " + QUICK_SAMPLES + ", standardized; Gaussian blobs when MNIST is absent) "
                + "written as a CSV table, and a config trained by ravine train's own code (Ravine's TrainingRun, the doctor with its "
                + "defaults: data checks before step 1, detectors during the run, reference networks and the label-noise check at the "
                + "end); the findings are read from each run's summary.json. The healthy control and four faults train a 196-" + WIDTH
                + "-10 ReLU classifier with SGD lr 0.01, momentum 0.9, batch " + BATCH + " (quick " + QUICK_BATCH
                + ", so that sorted data gives as many batches of one class as in the full run), 2 epochs quick, 8 full, each feature standardized by the config (data.normalize: standardize): unshuffled = samples sorted "
                + "by label with data.shuffle false; unnormalized = every feature mapped to " + (int) RAW_SCALE + " x + " + (int) RAW_OFFSET
                + " (the range of raw pixels) and data.normalize none; label noise = 30% of the labels replaced by another class, drawn "
                + "per seed; pure noise = every label drawn uniformly at random, per seed. The fifth fault is the model: " + DEEP_LAYERS
                + " hidden ReLU layers of width 32 with torch's default initialization under plain SGD lr 0.02 (no momentum), on the "
                + "clean data. Seeds: the config's seed (initialization and batch order) and the label draws; quick 1 seed (seed 1), "
                + "full 10. Each run's final training loss is reported against the control's, to show what the fault does.";
    }

    @Override
    public String decisionRule() {
        return "Held if, for each of the five faults, the doctor opened its finding (unshuffled: data_unshuffled; unnormalized: "
                + "data_scale; label noise and pure-noise labels: label_noise; cannot overfit: optimization_issue) in more than half of "
                + "the seeds, and opened none of those five findings on the healthy control in more than half of the seeds. Otherwise it "
                + "did not hold, and the faults it missed are named.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        List<Long> seeds = settings.quickRun() ? settings.seeds().subList(0, 1) : settings.seeds();
        int epochs = settings.pick(2, 8), batch = settings.pick(QUICK_BATCH, BATCH);
        DigitData data = DigitData.load(settings.pick(QUICK_SAMPLES, SAMPLES), 10);
        Fault[] faults = Fault.values();
        double[][] loss = new double[faults.length][seeds.size()];
        int[][] named = new int[faults.length][faults.length];
        List<List<String>> others = new ArrayList<>();
        try (ScratchFolder scratch = ScratchFolder.create("ravine-lab-13-")) {
            Path dir = scratch.path();
            for (Fault fault : faults) {
                List<String> seen = new ArrayList<>();
                for (int s = 0; s < seeds.size(); s++) {
                    long seed = seeds.get(s);
                    DoctoredRun run = DoctoredRun.train(dir, fault.key() + "-" + seed, dataset(fault, data.train(), seed), config(fault, seed, epochs, batch));
                    loss[fault.ordinal()][s] = run.trainLoss();
                    for (Fault f : faults) if (f.expected != null && run.named(f.expected)) named[fault.ordinal()][f.ordinal()]++;
                    for (String id : run.findings()) if (!seen.contains(id)) seen.add(id);
                }
                others.add(seen);
            }
        }
        return result(seeds.size(), epochs, data, faults, loss, named, others);
    }

    private static LabResult result(int seeds, int epochs, DigitData data, Fault[] faults, double[][] loss, int[][] named,
                                    List<List<String>> seen) {
        List<Figure> figures = new ArrayList<>();
        List<String> deciding = new ArrayList<>(), missed = new ArrayList<>(), because = new ArrayList<>();
        double control = mean(loss[0]);
        for (Fault f : faults) {
            double l = mean(loss[f.ordinal()]);
            figures.add(new Figure(f.key() + ".train_loss", f.label + ": final training loss (mean over " + seeds + " seeds)", l, "nats"));
            if (f != Fault.CONTROL) {
                figures.add(new Figure(f.key() + ".loss_over_control", f.label + ": final training loss over the control's", l / control, "x"));
            }
            figures.add(new Figure(f.key() + ".findings", f.label + ": every finding the doctor opened (any seed): "
                    + (seen.get(f.ordinal()).isEmpty() ? "none" : String.join(", ", seen.get(f.ordinal()))), seen.get(f.ordinal()).size(), "ids"));
        }
        int controlFalse = 0;
        for (Fault f : faults) if (f.expected != null) controlFalse = Math.max(controlFalse, named[0][f.ordinal()]);
        figures.add(new Figure("control.expected_findings", "control: most seeds in which any of the five expected findings opened",
                controlFalse, "of " + seeds));
        deciding.add("control.expected_findings");
        for (Fault f : faults) {
            if (f.expected == null) continue;
            int n = named[f.ordinal()][f.ordinal()];
            figures.add(new Figure(f.key() + ".named", f.label + ": seeds in which the doctor opened " + f.expected, n, "of " + seeds));
            deciding.add(f.key() + ".named");
            because.add(String.format(Locale.ROOT, "%s: %s in %d of %d", f.label, f.expected, n, seeds));
            if (2 * n <= seeds) missed.add(f.label + " (" + f.expected + ")");
        }
        boolean controlClean = 2 * controlFalse <= seeds;
        boolean held = missed.isEmpty() && controlClean;
        String verdictText = String.join("; ", because) + String.format(Locale.ROOT, "; on the control one of them opened in %d of %d seeds", controlFalse, seeds)
                + (missed.isEmpty() ? "" : "; the doctor did not name: " + String.join(", ", missed));
        Verdict verdict = Verdict.of(held, verdictText, deciding.toArray(String[]::new));
        return new LabResult(figures, verdict, charts(seeds, faults, loss, named), reading(epochs, data, faults, loss, control, missed, seen));
    }

    private static List<Chart> charts(int seeds, Fault[] faults, double[][] loss, int[][] named) {
        List<String> rows = Stream.of(faults).map(f -> f.label).toList();
        List<Fault> checked = Stream.of(faults).filter(f -> f.expected != null && !(f == Fault.PURE_NOISE)).toList();
        List<String> columns = checked.stream().map(f -> f.expected).toList();
        double[] cells = new double[rows.size() * columns.size()];
        for (Fault r : faults) for (int c = 0; c < checked.size(); c++) cells[r.ordinal() * columns.size() + c] = named[r.ordinal()][checked.get(c).ordinal()];
        HeatMapChart table = new HeatMapChart("findings", "Which finding the doctor opened, for each planted fault",
                "Rows: the run (the healthy control and each fault); columns: the findings the checklist expects; each cell: in how "
                        + "many of the " + seeds + " seeds the doctor opened that finding. The diagonal is the checklist working.",
                "finding", rows, columns, cells, false);
        List<Series> series = new ArrayList<>();
        for (Fault f : faults) {
            double[] x = new double[loss[f.ordinal()].length];
            java.util.Arrays.fill(x, f.ordinal() + 1);
            series.add(Series.points(f.label, x, loss[f.ordinal()]));
        }
        LineChart losses = new LineChart("train-loss", "Final training loss of each run",
                "One point per seed: 1 = the control, then the faults in the order of the heat map's rows.", "run", "final training loss",
                false, series);
        return List.of(table, losses);
    }

    private static String reading(int epochs, DigitData data, Fault[] faults, double[][] loss, double control, List<String> missed,
                                  List<List<String>> seen) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "After %d epochs the healthy control's training loss was %.3f. ", epochs, control));
        for (Fault f : faults) {
            if (f == Fault.CONTROL) continue;
            sb.append(String.format(Locale.ROOT, "%s: %.3f (%.2fx the control), findings %s. ", f.label, mean(loss[f.ordinal()]),
                    mean(loss[f.ordinal()]) / control, seen.get(f.ordinal()).isEmpty() ? "none" : String.join(", ", seen.get(f.ordinal()))));
        }
        sb.append(missed.isEmpty() ? "The doctor named every planted fault. "
                : "The doctor did not name: " + String.join(", ", missed) + ". ");
        sb.append("The data checks (order, scale) run before the first step and need no training; label noise is judged at the end "
                + "from the data itself (each sample's nearest neighbours vote on its label, confident learning estimates how many "
                + "labels disagree), and the reference networks (a shallower and a wider net, the model on a small subset) run only "
                + "when the training loss stayed above half its first value. Data: ").append(data.source()).append('.');
        return sb.toString();
    }

    private static Dataset dataset(Fault fault, Dataset clean, long seed) {
        float[] x = clean.features().clone();
        int[] y = clean.labels().clone();
        int classes = clean.numClasses();
        Rng rng = new Rng(1000 + seed);
        switch (fault) {
            case UNSHUFFLED -> {
                int[] order = IntStream.range(0, clean.size()).boxed().sorted(Comparator.comparingInt(i -> y[i])).mapToInt(Integer::intValue).toArray();
                return clean.subset(order);
            }
            case UNNORMALIZED -> {
                for (int i = 0; i < x.length; i++) x[i] = (float) (RAW_SCALE * x[i] + RAW_OFFSET);
            }
            case LABEL_NOISE -> {
                for (int i = 0; i < y.length; i++) if (rng.nextDouble() < NOISE_FRACTION) y[i] = (y[i] + 1 + rng.nextInt(classes - 1)) % classes;
            }
            case PURE_NOISE -> {
                for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(classes);
            }
            default -> { }
        }
        return Dataset.classification(x, clean.sampleShape(), y, classes);
    }

    private static String config(Fault fault, long seed, int epochs, int batch) {
        String shuffle = fault == Fault.UNSHUFFLED ? "false" : "true";
        // Every run but the unnormalized one standardizes each feature, as a user following the checklist would.
        String normalize = fault == Fault.UNNORMALIZED ? "none" : "standardize";
        StringBuilder layers = new StringBuilder();
        String optimizer;
        if (fault == Fault.CANNOT_OVERFIT) {
            for (int l = 0; l < DEEP_LAYERS; l++) layers.append("    - linear: {out: 32}\n    - relu\n");
            optimizer = "{name: sgd, lr: 0.02}";
        } else {
            layers.append("    - linear: {out: ").append(WIDTH).append("}\n    - relu\n");
            optimizer = "{name: sgd, lr: 0.01, momentum: 0.9}";
        }
        layers.append("    - linear: {out: 10}\n");
        return "seed: " + seed + "\n"
                + "data: {train: TRAIN, label: label, normalize: " + normalize + ", shuffle: " + shuffle + "}\n"
                + "model:\n  layers:\n" + layers
                + "loss: cross_entropy\n"
                + "optimizer: " + optimizer + "\n"
                + "training: {epochs: " + epochs + ", batch_size: " + batch + ", keep_checkpoints: 1}\n";
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }
}
