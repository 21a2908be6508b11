package dev.ravine.lab.labs;

import dev.ravine.app.sweep.SeedStatistics;
import dev.ravine.data.Dataset;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.lab.net.DigitData;
import dev.ravine.nn.Module;
import dev.ravine.tensor.SeedMix;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 12: note 004's remedies for overfitting, each against the same over-parameterized baseline on a few hundred
 * digits. The remedies are L2, L1, dropout, input and weight noise, augmentation, early stopping, an ensemble and
 * adversarial training, scored by 95% t-intervals over seeds; {@link PriorReading} adds the L1 arm's exact zeros and
 * surviving inputs and the Gaussian/Laplace prior reading of L2/L1.
 */
public final class OverfittingRemediesLab implements Lab {
    private static final double[] L2_GRID = {1e-3, 3e-3, 1e-2}, L1_GRID = {1e-4, 3e-4, 1e-3};
    private static final double DROPOUT = 0.5, INPUT_NOISE = 0.3, WEIGHT_NOISE = 0.02, FGSM = 0.1;
    private static final int SHIFT = 1, PATIENCE = 5, MEMBERS = 5, REMEDIES_NEEDED = 6;

    /** One arm's figures for one seed. */
    private record Score(double testAccuracy, double testLoss, double trainAccuracy) {}

    @Override
    public String name() {
        return "overfitting-remedies";
    }

    @Override
    public int number() {
        return 12;
    }

    @Override
    public String title() {
        return "Overfitting remedies on a small training set";
    }

    @Override
    public String note() {
        return "004_88f3164683877823.txt";
    }

    @Override
    public String claim() {
        return "A net that overfits has learned features of its few training samples that the task does not need. The remedies: "
                + "from the data side augmentation and input noise; from the model side an L2 penalty (weight decay: small weights "
                + "make the output insensitive to small input changes), an L1 penalty (which, with a proximal soft-threshold step, "
                + "sets many weights exactly to zero and so selects features), dropout (no co-adaptation; an implicit ensemble), "
                + "an ensemble of models and weight noise; from the training side early stopping on a validation set and "
                + "adversarial training. Each should narrow the gap between training and test performance and improve test "
                + "accuracy over the same net trained plainly. L2 and L1 also read as priors: minimizing the loss plus the penalty "
                + "is the maximum a posteriori estimate under a Gaussian (L2) or Laplace (L1) prior on the weights.";
    }

    @Override
    public String method() {
        return "Data: the first 14 x 14 MNIST-10k training digits split into a training set (quick 200, full 400) and a validation "
                + "set (quick 100, full 200), and held-out test digits (quick 400, full 2000). Net: 196-W-W-10 ReLU (He init; W quick "
                + "64, full 128), plain SGD lr " + Remedy.LR + ", batch " + Remedy.BATCH + ", cross-entropy, quick 12 / full 40 epochs, "
                + "long enough that the baseline fits its training set. Arms, one change each: L2 penalty lambda/2 ||W||^2 in the loss "
                + "and L1 as a proximal step w <- sign(w) max(|w| - lr lambda, 0) after each update (the core's ProximalL1: exact "
                + "zeros), lambda for each chosen on the validation set at the first seed from the pre-registered grids L2 "
                + "{1e-3, 3e-3, 1e-2} and L1 {1e-4, 3e-4, 1e-3} (lowest validation loss at the last epoch); dropout p " + DROPOUT
                + " after each hidden ReLU (Srivastava et al.); Gaussian input noise sigma " + INPUT_NOISE + " (inputs standardized "
                + "to unit variance); weight noise sigma " + WEIGHT_NOISE + " on every weight in each step (Graves); random shifts by "
                + "up to " + SHIFT + " pixel on each axis (2 at 28 x 28); early stopping on the validation loss, patience " + PATIENCE + " epochs, "
                + "best epoch restored; FGSM adversarial examples (epsilon " + FGSM + " of the input range, half of each batch, "
                + "Goodfellow et al.); an ensemble of " + MEMBERS + " baselines (the seed's baseline and four more, probabilities "
                + "averaged). Penalties act on weights only, never biases. Per arm and seed: test accuracy and test loss, "
                + "training accuracy on the clean training set in inference mode, and the gap (training minus test accuracy); "
                + "over the seeds (quick 3, full 10) the mean and the 95% Student-t interval. L1: the fraction of weights that are "
                + "exactly 0 and, per input pixel, whether it keeps any non-zero outgoing weight and which fraction of its outgoing weights are non-zero. Prior reading: "
                + "the first layer's weights at the first seed under the baseline, L2 and L1.";
    }

    @Override
    public String decisionRule() {
        return "Held if (1) the baseline overfits: its mean clean training accuracy is at least 99% and its mean validation loss at "
                + "the last epoch is at least 10% above the lowest epoch's, and (2) at least " + REMEDIES_NEEDED + " of the 9 remedies "
                + "have a 95% t-interval of test accuracy over seeds whose lower end lies above the baseline's mean test accuracy. "
                + "Every arm is reported either way; the L1 sparsity and prior figures are reported, not part of the rule.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        int width = settings.pick(64, 128), trainSize = settings.pick(200, 400), valSize = settings.pick(100, 200);
        int epochs = settings.pick(12, 40);
        DigitData digits = DigitData.load(trainSize + valSize, settings.pick(400, 2000));
        Dataset train = digits.train().subset(range(0, trainSize)), validation = digits.train().subset(range(trainSize, trainSize + valSize));
        Dataset test = digits.test();
        long first = settings.seeds().getFirst();
        double l2 = choose(Remedy.Kind.L2, L2_GRID, width, train, validation, epochs, first);
        double l1 = choose(Remedy.Kind.L1, L1_GRID, width, train, validation, epochs, first);
        List<Remedy> arms = arms(l2, l1);

        Map<String, List<Score>> scores = new LinkedHashMap<>();
        Map<String, double[][]> curves = new LinkedHashMap<>();
        PriorReading prior = new PriorReading(Remedy.SIDE, l2, l1, trainSize);
        for (Remedy arm : arms) {
            curves.put(arm.key(), new double[][] {new double[epochs], new double[epochs], new double[epochs]});
            scores.put(arm.key(), new ArrayList<>());
        }
        scores.put("ensemble", new ArrayList<>());
        for (long seed : settings.seeds()) {
            Module baselineModel = null;
            for (Remedy arm : arms) {
                Remedy.Trained t = arm.train(width, train, validation, epochs, seed);
                scores.get(arm.key()).add(score(t, train, test));
                accumulate(curves.get(arm.key()), t);
                if (arm.key().equals("baseline")) baselineModel = t.model();
                prior.record(arm.key(), t.model(), seed == first);
            }
            scores.get("ensemble").add(ensemble(baselineModel, width, train, validation, test, epochs, seed));
        }
        return result(settings, digits, arms, scores, curves, prior, l2, l1, epochs);
    }

    private static List<Remedy> arms(double l2, double l1) {
        return List.of(Remedy.baseline(),
                new Remedy("l2", "L2 " + l2, Remedy.Kind.L2, l2),
                new Remedy("l1", "L1 (proximal) " + l1, Remedy.Kind.L1, l1),
                new Remedy("dropout", "dropout " + DROPOUT, Remedy.Kind.DROPOUT, DROPOUT),
                new Remedy("input_noise", "input noise " + INPUT_NOISE, Remedy.Kind.INPUT_NOISE, INPUT_NOISE),
                new Remedy("weight_noise", "weight noise " + WEIGHT_NOISE, Remedy.Kind.WEIGHT_NOISE, WEIGHT_NOISE),
                new Remedy("shift", "shifts of " + SHIFT + " px", Remedy.Kind.SHIFT, SHIFT),
                new Remedy("early_stopping", "early stopping", Remedy.Kind.EARLY_STOPPING, PATIENCE),
                new Remedy("fgsm", "FGSM training", Remedy.Kind.FGSM, FGSM));
    }

    /** The grid value with the lowest validation loss after the last epoch, at one seed (never the test set). */
    private static double choose(Remedy.Kind kind, double[] grid, int width, Dataset train, Dataset validation, int epochs, long seed) {
        double best = grid[0], bestLoss = Double.POSITIVE_INFINITY;
        for (double lambda : grid) {
            Remedy.Trained t = new Remedy(kind.name(), kind.name(), kind, lambda).train(width, train, validation, epochs, seed);
            double loss = t.validationLoss()[t.epochsRun() - 1];
            if (loss < bestLoss) {
                bestLoss = loss;
                best = lambda;
            }
        }
        return best;
    }

    private static Score score(Remedy.Trained t, Dataset train, Dataset test) {
        Evaluation onTest = evaluate(t, test), onTrain = evaluate(t, train);
        return new Score(onTest.accuracy(), onTest.loss(), onTrain.accuracy());
    }

    private static Evaluation evaluate(Remedy.Trained t, Dataset data) {
        return t.trainer().evaluate(new dev.ravine.data.DataLoader(data, Math.min(data.size(), 1000), false, false, 0));
    }

    /** The seed's baseline and {@code MEMBERS - 1} more baselines of seeds drawn from it, probabilities averaged. */
    private static Score ensemble(Module baseline, int width, Dataset train, Dataset validation, Dataset test, int epochs, long seed) {
        List<ClassProbabilities> onTest = new ArrayList<>(), onTrain = new ArrayList<>();
        for (int k = 0; k < MEMBERS; k++) {
            Module m = k == 0 ? baseline : Remedy.baseline().train(width, train, validation, epochs, SeedMix.of(seed, 0x454E53L, k)).model();
            onTest.add(ClassProbabilities.of(m, test, 1000));
            onTrain.add(ClassProbabilities.of(m, train, 1000));
        }
        ClassProbabilities p = ClassProbabilities.mean(onTest);
        return new Score(p.accuracy(test.labels()), p.logLoss(test.labels()), ClassProbabilities.mean(onTrain).accuracy(train.labels()));
    }

    /** Adds a run's per-epoch training and validation losses to the sums (rows: training, validation, count). */
    private static void accumulate(double[][] sums, Remedy.Trained t) {
        for (int e = 0; e < t.epochsRun(); e++) {
            sums[0][e] += t.trainLoss()[e];
            sums[1][e] += t.validationLoss()[e];
            sums[2][e] += 1;
        }
    }

    private LabResult result(LabSettings settings, DigitData digits, List<Remedy> arms, Map<String, List<Score>> scores,
                             Map<String, double[][]> curves, PriorReading prior, double l2, double l1, int epochs) {
        List<Figure> figures = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Remedy r : arms) labels.put(r.key(), r.label());
        labels.put("ensemble", "ensemble of " + MEMBERS);
        Map<String, SeedStatistics> accuracy = new LinkedHashMap<>();
        for (var e : scores.entrySet()) {
            String k = e.getKey(), label = labels.get(k);
            SeedStatistics acc = SeedStatistics.of(e.getValue().stream().map(s -> 100 * s.testAccuracy()).toList());
            SeedStatistics loss = SeedStatistics.of(e.getValue().stream().map(Score::testLoss).toList());
            double gap = e.getValue().stream().mapToDouble(s -> 100 * (s.trainAccuracy() - s.testAccuracy())).average().orElse(Double.NaN);
            double trainAcc = e.getValue().stream().mapToDouble(s -> 100 * s.trainAccuracy()).average().orElse(Double.NaN);
            accuracy.put(k, acc);
            figures.add(new Figure(k + ".test_accuracy", label + ": test accuracy (mean)", acc.mean(), "%"));
            figures.add(new Figure(k + ".test_accuracy_ci", label + ": 95% interval half-width of the test accuracy", acc.halfWidth(), "pp"));
            figures.add(new Figure(k + ".test_loss", label + ": test loss (mean, +- " + fmt(loss.halfWidth()) + ")", loss.mean(), ""));
            figures.add(new Figure(k + ".train_accuracy", label + ": clean training accuracy (mean)", trainAcc, "%"));
            figures.add(new Figure(k + ".gap", label + ": training minus test accuracy (mean)", gap, "pp"));
        }
        double[][] base = curves.get("baseline");
        double valMin = Double.POSITIVE_INFINITY, valLast = base[1][epochs - 1] / base[2][epochs - 1];
        for (int e = 0; e < epochs; e++) valMin = Math.min(valMin, base[1][e] / base[2][e]);
        figures.add(Figure.of("baseline.val_loss_min", "baseline: lowest mean validation loss over the epochs", valMin));
        figures.add(Figure.of("baseline.val_loss_last", "baseline: mean validation loss at the last epoch", valLast));
        figures.add(Figure.of("l2.lambda", "L2 lambda chosen on the validation set", l2));
        figures.add(Figure.of("l1.lambda", "L1 lambda chosen on the validation set", l1));
        figures.addAll(prior.figures());

        double baseMean = accuracy.get("baseline").mean();
        List<String> beat = new ArrayList<>(), notBeat = new ArrayList<>();
        for (var e : accuracy.entrySet()) {
            if (e.getKey().equals("baseline")) continue;
            double low = e.getValue().mean() - e.getValue().halfWidth();
            (low > baseMean ? beat : notBeat).add(labels.get(e.getKey()) + String.format(Locale.ROOT, " %.2f +- %.2f", e.getValue().mean(),
                    e.getValue().halfWidth()));
        }
        figures.add(Figure.of("remedies_beating_baseline", "remedies whose 95% interval lies above the baseline's mean test accuracy", beat.size()));
        boolean overfits = scoreMean(scores.get("baseline")) >= 99 && valLast >= 1.1 * valMin;
        boolean held = overfits && beat.size() >= REMEDIES_NEEDED;
        Verdict verdict = Verdict.of(held, String.format(Locale.ROOT, "baseline: %.2f%% test (+- %.2f), clean training accuracy %.1f%%, validation "
                        + "loss %.3f at the last epoch vs %.3f at its lowest (%s); %d of 9 remedies have an interval above the baseline's mean "
                        + "(rule: %d): above: %s; not above: %s", baseMean, accuracy.get("baseline").halfWidth(), scoreMean(scores.get("baseline")),
                        valLast, valMin, overfits ? "it overfits" : "the rule's overfitting test failed", beat.size(), REMEDIES_NEEDED,
                        beat.isEmpty() ? "none" : String.join(", ", beat), notBeat.isEmpty() ? "none" : String.join(", ", notBeat)),
                "baseline.test_accuracy", "baseline.train_accuracy", "baseline.val_loss_min", "baseline.val_loss_last", "remedies_beating_baseline");
        String best = bestRemedy(accuracy);
        List<Chart> charts = new ArrayList<>();
        charts.add(accuracyChart(accuracy, labels));
        charts.add(curveChart(curves.get("baseline"), curves.get(best), labels.get(best), epochs));
        charts.addAll(prior.charts());
        return new LabResult(figures, verdict, charts, reading(accuracy, scores, labels, prior, digits, settings, best));
    }

    private static double scoreMean(List<Score> s) {
        return s.stream().mapToDouble(x -> 100 * x.trainAccuracy()).average().orElse(Double.NaN);
    }

    private static String bestRemedy(Map<String, SeedStatistics> accuracy) {
        String best = null;
        for (var e : accuracy.entrySet()) {
            if (e.getKey().equals("baseline") || e.getKey().equals("ensemble")) continue; // the ensemble has no single curve
            if (best == null || e.getValue().mean() > accuracy.get(best).mean()) best = e.getKey();
        }
        return best;
    }

    private static Chart accuracyChart(Map<String, SeedStatistics> accuracy, Map<String, String> labels) {
        int n = accuracy.size();
        double[] x = new double[n], mean = new double[n], low = new double[n], high = new double[n], base = new double[n];
        List<String> order = new ArrayList<>(accuracy.keySet());
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < n; i++) {
            SeedStatistics s = accuracy.get(order.get(i));
            x[i] = i + 1;
            mean[i] = s.mean();
            low[i] = s.mean() - s.halfWidth();
            high[i] = s.mean() + s.halfWidth();
            base[i] = accuracy.get("baseline").mean();
            legend.append(i == 0 ? "" : ", ").append(i + 1).append(" ").append(labels.get(order.get(i)));
        }
        return new LineChart("accuracy", "Test accuracy per arm, mean and 95% interval over seeds",
                "x: the arm (" + legend + "). Points: the mean over seeds and the ends of its 95% Student-t interval; the dashed line "
                        + "is the baseline's mean, which a remedy's lower end must clear.", "arm", "test accuracy (%)", false,
                List.of(Series.points("mean", x, mean), Series.points("interval low", x, low), Series.points("interval high", x, high),
                        Series.dashed("baseline mean", x, base)));
    }

    private static Chart curveChart(double[][] base, double[][] best, String bestLabel, int epochs) {
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) x[e] = e + 1;
        return new LineChart("curves", "Training and validation loss per epoch: baseline vs the best remedy (" + bestLabel + ")",
                "Means over seeds (over the seeds still running, for early stopping). Training loss: the mean of the epoch's batch "
                        + "losses as trained (with the remedy's noise, dropout or penalty); validation loss: the held-out validation set "
                        + "in inference mode after each epoch. Log scale.", "epoch", "loss", true,
                List.of(Series.line("baseline, training", x, mean(base, 0)), Series.line("baseline, validation", x, mean(base, 1)),
                        Series.dashed(bestLabel + ", training", x, mean(best, 0)), Series.dashed(bestLabel + ", validation", x, mean(best, 1))));
    }

    private static double[] mean(double[][] sums, int row) {
        double[] m = new double[sums[row].length];
        for (int e = 0; e < m.length; e++) m[e] = sums[2][e] > 0 ? sums[row][e] / sums[2][e] : Double.NaN;
        return m;
    }

    private static String reading(Map<String, SeedStatistics> accuracy, Map<String, List<Score>> scores, Map<String, String> labels,
                                  PriorReading prior, DigitData digits, LabSettings settings, String best) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Over %d seeds the baseline reached %.2f%% test accuracy (+- %.2f) while fitting %.1f%% of its "
                        + "training set. ", settings.seeds().size(), accuracy.get("baseline").mean(), accuracy.get("baseline").halfWidth(),
                scoreMean(scores.get("baseline"))));
        for (var e : accuracy.entrySet()) {
            if (e.getKey().equals("baseline")) continue;
            double gap = scores.get(e.getKey()).stream().mapToDouble(x -> 100 * (x.trainAccuracy() - x.testAccuracy())).average().orElse(Double.NaN);
            s.append(String.format(Locale.ROOT, "%s: %.2f%% (+- %.2f, %+.2f points, gap %.1f). ", labels.get(e.getKey()), e.getValue().mean(),
                    e.getValue().halfWidth(), e.getValue().mean() - accuracy.get("baseline").mean(), gap));
        }
        s.append("The best single remedy by mean test accuracy was ").append(labels.get(best)).append(". ");
        s.append(prior.reading()).append(" Data: ").append(digits.source()).append('.');
        return s.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
