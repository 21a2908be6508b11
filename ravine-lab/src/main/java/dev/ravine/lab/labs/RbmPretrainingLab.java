package dev.ravine.lab.labs;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.init.Init;
import dev.ravine.init.Initializer;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.lab.net.DigitData;
import dev.ravine.lab.net.LayerGradients;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.lab.net.UnitRange;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.pretrain.GreedyPretraining;
import dev.ravine.pretrain.RbmEpoch;
import dev.ravine.pretrain.RbmOptions;
import dev.ravine.pretrain.VisibleUnits;
import dev.ravine.tensor.Rng;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 11: greedy RBM pre-training of a deep sigmoid net (CD-1, layer by layer, each RBM on the previous one's hidden
 * probabilities) against the same net fine-tuned from N(0, 0.01^2) weights and from Xavier weights: the same
 * fine-tuning (SGD with momentum, the same batches) for every arm, test accuracy after a short and a long budget, the
 * per-layer gradient norms at the start of fine-tuning, and the RBMs' reconstruction error per epoch.
 */
public final class RbmPretrainingLab implements Lab {
    private static final int HIDDEN = 3, BATCH = 32, RBM_BATCH = 10, SHORT_EPOCHS = 1, GRADIENT_PROBE = 500;
    private static final double LR = 0.1, MOMENTUM = 0.9;
    /** Hinton's MNIST setting; at lr 0.05 and momentum 0.5 in batches of 20 the first RBM's error fell half as fast (checked on 3000 digits). */
    private static final double RBM_LR = 0.1, RBM_MOMENTUM = 0.5;
    /** The rule's thresholds: Xavier must train, pre-training must beat small random by this much, and the gradient gap. */
    private static final double XAVIER_TRAINS = 0.5, MARGIN = 0.10, GRADIENT_GAP = 100;

    /** How each arm's hidden weights start fine-tuning. */
    private enum Arm {
        PRETRAINED("pretrained", "RBM pre-trained"), SMALL("small", "N(0, 0.01^2)"), XAVIER("xavier", "Xavier");

        final String key, label;

        Arm(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    private static final Initializer SMALL = (w, r) -> Init.normal(w, r, 0, 0.01);
    private static final Initializer XAVIER = (w, r) -> Init.xavierNormal(w, r, 1);

    /** One arm's fine-tuning on one seed: per-epoch training loss and test accuracy, gradient norms at the start. */
    private record Run(double[] trainLoss, double[] testAccuracy, double[] startGradients, double seconds) {}

    /** The greedy pre-training of one seed: each RBM's reconstruction error per epoch, and its wall time. */
    private record Pretraining(double[][] reconstructionError, double seconds) {}

    @Override
    public String name() {
        return "rbm-pretraining";
    }

    @Override
    public int number() {
        return 11;
    }

    @Override
    public String title() {
        return "RBM pre-training of a deep sigmoid net vs small random and Xavier init";
    }

    @Override
    public String note() {
        return "003_10f6ee09823418f6.txt";
    }

    @Override
    public String claim() {
        return "In a deep sigmoid net the gradient reaching the first layers is a product of one factor per layer above them, "
                + "each below 1 when the weights are small, so it vanishes and backprop from small random weights barely moves "
                + "those layers. Greedy layer-wise unsupervised pre-training (Hinton, 2006) is one remedy: each layer is trained "
                + "in turn as a restricted Boltzmann machine by contrastive divergence, on the hidden outputs of the layer below, "
                + "and the whole net is then fine-tuned with backprop from there. The claim tested: from the pre-trained "
                + "starting point backprop trains the deep sigmoid net where it stalls from small random weights. The note "
                + "also lists Xavier initialization as a remedy for the same problem; how the pre-trained net compares with "
                + "a Xavier-initialized one is measured and reported alongside.";
    }

    @Override
    public String method() {
        return "A 196-256-256-256-10 sigmoid net (quick: 196-64-64-64-10; softmax output, cross-entropy) on 14 x 14 MNIST "
                + "digits, standardized (quick 500, full 3000 training samples; quick 300, full 1000 test samples), fine-tuned "
                + "with SGD (lr " + LR + ", momentum " + MOMENTUM + ", batches of " + BATCH + ") for quick 6, full 8 epochs, the "
                + "same shuffled batches for every arm. Arms: (a) N(0, 0.01^2) weights, then every hidden layer replaced by an "
                + "RBM trained greedily with Ravine's GreedyPretraining (CD-1, lr " + RBM_LR + ", momentum " + RBM_MOMENTUM
                + ", batches of " + RBM_BATCH + ", quick 6 epochs of 500 digits, full 4 of 3000 per layer; the first RBM's Bernoulli visible units on the pixels mapped onto "
                + "[0, 1], a map then folded exactly into the first layer's weights and biases; each later RBM on the previous "
                + "one's hidden probabilities; the output layer keeps its N(0, 0.01^2) weights); (b) the same N(0, 0.01^2) net "
                + "without pre-training (the exact starting point of (a) before its RBMs); (c) Xavier-normal weights. Biases "
                + "start at torch's default (the pre-trained hidden layers take their RBMs' hidden biases). Measured per arm "
                + "and seed (quick 3, full 10): test accuracy after " + SHORT_EPOCHS + " epoch and after the last, the "
                + "training loss of every epoch, and the gradient norm ||dL/dW|| of every layer on the first " + GRADIENT_PROBE
                + " training samples before fine-tuning; per RBM, its mean reconstruction error per epoch; the pre-training's "
                + "wall time. The fine-tuning setting was checked beforehand on the Xavier net alone (seed 1, 4000 digits, "
                + "6 epochs): on pixels in [0, 1] it stayed near chance at every lr tried (0.01 to 0.3: at most 36% test "
                + "accuracy), on standardized pixels at lr 0.1 it reached 83% by epoch 3, so the net is fine-tuned on "
                + "standardized pixels at lr 0.1, where a well-initialized net can learn.";
    }

    @Override
    public String decisionRule() {
        return "After the last fine-tuning epoch: held if (1) the Xavier net reaches at least " + pct(XAVIER_TRAINS) + " mean test "
                + "accuracy (the lr and budget let a well-initialized deep sigmoid net train, else nothing can be concluded), "
                + "(2) the pre-trained net's test accuracy is above the small-random net's in every seed and by at least "
                + Math.round(100 * MARGIN) + " percentage points in the mean, and (3) before fine-tuning the small-random net's first-layer gradient "
                + "norm is at least " + (int) GRADIENT_GAP + " times smaller than the pre-trained net's (means over seeds). "
                + "Otherwise it did not hold. The pre-trained vs Xavier comparison is reported, not part of the rule.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        DigitData data = DigitData.load(settings.pick(500, 3000), settings.pick(300, 1000));
        int epochs = settings.pick(6, 8);
        RbmOptions rbm = new RbmOptions(1, false, settings.pick(6, 4), RBM_LR, RBM_MOMENTUM, 0, RBM_BATCH);
        int width = width(settings);
        Map<Arm, List<Run>> runs = new EnumMap<>(Arm.class);
        for (Arm a : Arm.values()) runs.put(a, new ArrayList<>());
        List<Pretraining> pretrainings = new ArrayList<>();
        for (long seed : settings.seeds()) {
            Sequential pretrained = deepSigmoid(width, SMALL, seed);
            pretrainings.add(pretrain(pretrained, data.train(), rbm, seed));
            runs.get(Arm.PRETRAINED).add(fineTune(pretrained, data, epochs, seed));
            runs.get(Arm.SMALL).add(fineTune(deepSigmoid(width, SMALL, seed), data, epochs, seed));
            runs.get(Arm.XAVIER).add(fineTune(deepSigmoid(width, XAVIER, seed), data, epochs, seed));
        }
        return result(runs, pretrainings, epochs, data, settings.seeds().size());
    }

    /** Hidden width: quick runs a narrower net to stay within the tests' seconds. */
    private static int width(LabSettings settings) {
        return settings.pick(64, 256);
    }

    /**
     * Linear -> sigmoid blocks at the top level of one Sequential (what {@link GreedyPretraining} pre-trains), then a
     * Linear output layer; every weight drawn by {@code init} from the seed's generator, so two arms built with the same
     * init and seed start identical.
     */
    private static Sequential deepSigmoid(int width, Initializer init, long seed) {
        Rng rng = new Rng(seed);
        List<Module> layers = new ArrayList<>();
        int in = DigitData.FEATURES;
        for (int l = 0; l < HIDDEN; l++) {
            layers.add(new Linear(in, width, true, rng, init));
            layers.add(new Activation(Activation.Kind.SIGMOID));
            in = width;
        }
        layers.add(new Linear(in, DigitData.CLASSES, true, rng, init));
        return new Sequential(layers);
    }

    /**
     * Greedy CD pre-training of every hidden layer in place, on the training pixels mapped onto [0, 1] (the first RBM's
     * Bernoulli visible units read them as probabilities); the map is then folded into the first layer, so the net
     * computes the same function on the standardized pixels it is fine-tuned on. The draws come from a generator of
     * their own, as in the app.
     */
    private static Pretraining pretrain(Sequential net, Dataset train, RbmOptions options, long seed) {
        long start = System.nanoTime();
        UnitRange range = UnitRange.of(train);
        List<GreedyPretraining.PretrainedBlock> blocks = GreedyPretraining.pretrain(net, VisibleUnits.BERNOULLI, range.apply(train),
                train.size(), train.sampleShape(), null, 0, options, new Rng(~seed), null);
        range.foldInto((Linear) net.layers().getFirst());
        double seconds = (System.nanoTime() - start) / 1e9;
        double[][] errors = new double[blocks.size()][];
        for (int b = 0; b < blocks.size(); b++) {
            errors[b] = blocks.get(b).epochs().stream().mapToDouble(RbmEpoch::reconstructionError).toArray();
        }
        return new Pretraining(errors, seconds);
    }

    /** Gradient norms on the probe batch, then SGD with momentum, the test set evaluated after every epoch. */
    private static Run fineTune(Sequential model, DigitData data, int epochs, long seed) {
        double[] gradients = LayerGradients.norms(model, new CrossEntropyLoss(), NetTraining.batch(data.train(), GRADIENT_PROBE));
        double[] accuracy = new double[epochs];
        DataLoader test = new DataLoader(data.test(), Math.min(data.test().size(), 1000), false, false, 0);
        TrainingListener testEachEpoch = new TrainingListener() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochEvent event) {
                accuracy[event.epoch() - 1] = trainer.evaluate(test).accuracy();
            }
        };
        NetTraining run = NetTraining.fit(model, OptimizerAssembly.of("sgd", Map.of("lr", LR, "momentum", MOMENTUM)), data.train(),
                BATCH, epochs, seed, testEachEpoch);
        List<EpochEvent> history = run.result().history();
        double[] loss = new double[epochs];
        double seconds = 0;
        for (int e = 0; e < epochs; e++) {
            loss[e] = e < history.size() ? history.get(e).trainLoss() : Double.NaN;
            if (e < history.size()) seconds += history.get(e).epochSeconds();
            if (e >= history.size()) accuracy[e] = Double.NaN;
        }
        return new Run(loss, accuracy, gradients, seconds);
    }

    private static LabResult result(Map<Arm, List<Run>> runs, List<Pretraining> pretrainings, int epochs, DigitData data, int seeds) {
        List<Figure> figures = new ArrayList<>();
        Map<Arm, Double> finalAccuracy = new EnumMap<>(Arm.class), firstGradient = new EnumMap<>(Arm.class);
        for (Arm a : Arm.values()) {
            List<Run> r = runs.get(a);
            double[] last = r.stream().mapToDouble(x -> x.testAccuracy()[epochs - 1]).toArray();
            finalAccuracy.put(a, mean(last));
            firstGradient.put(a, mean(r.stream().mapToDouble(x -> x.startGradients()[0]).toArray()));
            figures.add(new Figure(a.key + ".test_acc_short", a.label + ": test accuracy after " + SHORT_EPOCHS + " epoch (mean)",
                    100 * mean(r.stream().mapToDouble(x -> x.testAccuracy()[SHORT_EPOCHS - 1]).toArray()), "%"));
            figures.add(new Figure(a.key + ".test_acc", a.label + ": test accuracy after " + epochs + " epochs (mean)", 100 * mean(last), "%"));
            figures.add(new Figure(a.key + ".test_acc_min", a.label + ": lowest seed's test accuracy after " + epochs + " epochs", 100 * min(last), "%"));
            figures.add(new Figure(a.key + ".test_acc_max", a.label + ": highest seed's test accuracy after " + epochs + " epochs", 100 * max(last), "%"));
            figures.add(new Figure(a.key + ".train_loss", a.label + ": training loss of epoch " + epochs + " (mean)",
                    mean(r.stream().mapToDouble(x -> x.trainLoss()[epochs - 1]).toArray()), ""));
            figures.add(new Figure(a.key + ".grad_first", a.label + ": first layer's ||dL/dW|| before fine-tuning (mean)", firstGradient.get(a), ""));
            figures.add(new Figure(a.key + ".seconds", a.label + ": fine-tuning wall time (mean per seed)",
                    mean(r.stream().mapToDouble(Run::seconds).toArray()), "s"));
        }
        int beatsSmall = 0, beatsXavier = 0;
        for (int s = 0; s < seeds; s++) {
            double p = last(runs.get(Arm.PRETRAINED).get(s));
            if (p > last(runs.get(Arm.SMALL).get(s))) beatsSmall++;
            if (p > last(runs.get(Arm.XAVIER).get(s))) beatsXavier++;
        }
        figures.add(new Figure("pretrained_beats_small", "seeds where the pre-trained net's final test accuracy beats small random's", beatsSmall, "of " + seeds));
        figures.add(new Figure("pretrained_beats_xavier", "seeds where the pre-trained net's final test accuracy beats Xavier's", beatsXavier, "of " + seeds));
        double gap = firstGradient.get(Arm.PRETRAINED) / firstGradient.get(Arm.SMALL);
        figures.add(new Figure("grad_first_ratio", "first layer's gradient norm before fine-tuning, pre-trained / small random", gap, "x"));
        double[][] error = meanErrors(pretrainings);
        for (int b = 0; b < error.length; b++) {
            figures.add(new Figure("rbm" + (b + 1) + ".recon_first", "RBM " + (b + 1) + ": reconstruction error, first epoch (mean)", error[b][0], ""));
            figures.add(new Figure("rbm" + (b + 1) + ".recon_last", "RBM " + (b + 1) + ": reconstruction error, last epoch (mean)",
                    error[b][error[b].length - 1], ""));
        }
        double rbmSeconds = mean(pretrainings.stream().mapToDouble(Pretraining::seconds).toArray());
        figures.add(new Figure("rbm.seconds", "greedy pre-training wall time, all RBMs (mean per seed)", rbmSeconds, "s"));

        double xavier = finalAccuracy.get(Arm.XAVIER), pre = finalAccuracy.get(Arm.PRETRAINED), small = finalAccuracy.get(Arm.SMALL);
        boolean fair = xavier >= XAVIER_TRAINS;
        boolean beats = beatsSmall == seeds && pre - small >= MARGIN;
        boolean vanishing = gap >= GRADIENT_GAP;
        Verdict verdict = Verdict.of(fair && beats && vanishing, String.format(Locale.ROOT,
                        "after %d epochs: Xavier %.2f%% mean test accuracy (the rule asks >= %.0f%%: %s); pre-trained %.2f%% vs small "
                                + "random %.2f%% (%+.2f points, ahead in %d of %d seeds; the rule asks every seed and >= %.0f points); "
                                + "first-layer gradient before fine-tuning %.3g (pre-trained) vs %.3g (small random), %.3gx (the rule "
                                + "asks >= %.0fx). Reported, not ruled: pre-trained vs Xavier %+.2f points, ahead in %d of %d seeds",
                        epochs, 100 * xavier, 100 * XAVIER_TRAINS, fair ? "met" : "not met", 100 * pre, 100 * small, 100 * (pre - small),
                        beatsSmall, seeds, 100 * MARGIN, firstGradient.get(Arm.PRETRAINED), firstGradient.get(Arm.SMALL), gap, GRADIENT_GAP,
                        100 * (pre - xavier), beatsXavier, seeds),
                "xavier.test_acc", "pretrained.test_acc", "small.test_acc", "pretrained_beats_small", "grad_first_ratio");
        return new LabResult(figures, verdict, charts(runs, error, epochs), reading(finalAccuracy, firstGradient, beatsXavier, seeds, rbmSeconds,
                runs, epochs, data));
    }

    private static List<Chart> charts(Map<Arm, List<Run>> runs, double[][] error, int epochs) {
        double[] epochAxis = axis(epochs);
        List<Series> loss = new ArrayList<>(), accuracy = new ArrayList<>(), gradients = new ArrayList<>();
        for (Arm a : Arm.values()) {
            List<Run> r = runs.get(a);
            loss.add(Series.line(a.label, epochAxis, meanCurve(r.stream().map(Run::trainLoss).toList())));
            accuracy.add(Series.line(a.label + " (mean)", epochAxis, scaled(meanCurve(r.stream().map(Run::testAccuracy).toList()), 100)));
            double[] x = new double[epochs * r.size()], y = new double[x.length];
            for (int s = 0; s < r.size(); s++) {
                for (int e = 0; e < epochs; e++) {
                    x[s * epochs + e] = e + 1;
                    y[s * epochs + e] = 100 * r.get(s).testAccuracy()[e];
                }
            }
            accuracy.add(Series.points(a.label + " (each seed)", x, y));
            double[] g = meanCurve(r.stream().map(Run::startGradients).toList());
            gradients.add(Series.line(a.label, axis(g.length), g));
        }
        List<Series> rbm = new ArrayList<>();
        for (int b = 0; b < error.length; b++) rbm.add(Series.line("RBM " + (b + 1), axis(error[b].length), error[b]));
        return List.of(
                new LineChart("loss", "Fine-tuning: training loss per epoch", "Mean over seeds of each epoch's training loss (the mean "
                        + "of its batches' cross-entropy), log scale; chance is ln 10 = 2.30.", "epoch", "training loss", true, loss),
                new LineChart("accuracy", "Test accuracy per fine-tuning epoch", "Lines: mean over seeds; points: every seed, to show "
                        + "the spread.", "epoch", "test accuracy (%)", false, accuracy),
                new LineChart("gradients", "Gradient norm per layer before fine-tuning", "||dL/dW|| of each Linear layer (1 = first "
                        + "hidden layer, the last is the output layer) on the probe batch, mean over seeds, log scale.", "layer",
                        "||dL/dW||", true, gradients),
                new LineChart("reconstruction", "RBM reconstruction error per epoch", "Mean squared error per visible unit between a "
                        + "training sample and its one-step reconstruction, averaged over each epoch and over seeds; RBM 1 sees the "
                        + "pixels, RBM 2 and 3 the hidden probabilities of the one below.", "RBM epoch", "reconstruction error", true, rbm));
    }

    private static String reading(Map<Arm, Double> acc, Map<Arm, Double> grad, int beatsXavier, int seeds, double rbmSeconds,
                                  Map<Arm, List<Run>> runs, int epochs, DigitData data) {
        double pre = acc.get(Arm.PRETRAINED), small = acc.get(Arm.SMALL), xavier = acc.get(Arm.XAVIER);
        double tuning = mean(runs.get(Arm.PRETRAINED).stream().mapToDouble(Run::seconds).toArray());
        String versusXavier = pre > xavier
                ? String.format(Locale.ROOT, "the pre-trained net also ended ahead of the Xavier net, by %.2f points (in %d of %d seeds)",
                        100 * (pre - xavier), beatsXavier, seeds)
                : String.format(Locale.ROOT, "the Xavier net, with no pre-training at all, ended %.2f points ahead of the pre-trained "
                        + "one (pre-training ahead in %d of %d seeds): a good initialization closed the gap", 100 * (xavier - pre), beatsXavier, seeds);
        return String.format(Locale.ROOT, "After %d fine-tuning epochs the pre-trained net reached %.2f%% mean test accuracy, the "
                        + "small-random net %.2f%% and the Xavier net %.2f%%. Before fine-tuning, the first layer's gradient norm was "
                        + "%.3g from small random weights against %.3g after pre-training and %.3g from Xavier: with weights of 0.01 "
                        + "each layer above shrinks the backward signal (sigmoid' <= 1/4 times a small weight matrix), which is why "
                        + "the small-random net's lower layers hardly move. Against Xavier, %s. Pre-training is not free: the RBMs "
                        + "took %.2f s per seed, against %.2f s for the pre-trained net's whole fine-tuning. Data: %s.",
                epochs, 100 * pre, 100 * small, 100 * xavier, grad.get(Arm.SMALL), grad.get(Arm.PRETRAINED), grad.get(Arm.XAVIER),
                versusXavier, rbmSeconds, tuning, data.source());
    }

    /** Each RBM's reconstruction error per epoch, mean over seeds. */
    private static double[][] meanErrors(List<Pretraining> pretrainings) {
        int blocks = pretrainings.getFirst().reconstructionError().length;
        double[][] out = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            int bb = b;
            out[b] = meanCurve(pretrainings.stream().map(p -> p.reconstructionError()[bb]).toList());
        }
        return out;
    }

    private static double last(Run r) {
        return r.testAccuracy()[r.testAccuracy().length - 1];
    }

    private static double[] meanCurve(List<double[]> curves) {
        double[] m = new double[curves.getFirst().length];
        for (double[] c : curves) for (int i = 0; i < m.length; i++) m[i] += c[i] / curves.size();
        return m;
    }

    private static double[] axis(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        return x;
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * factor;
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) m = Math.min(m, x);
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
