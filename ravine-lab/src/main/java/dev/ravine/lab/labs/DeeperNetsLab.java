package dev.ravine.lab.labs;

import dev.ravine.init.Init;
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
import dev.ravine.lab.net.MlpSpec;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 6: plain fully connected ReLU nets of increasing depth, trained with the same budget, reach a higher training
 * loss the deeper they are; the same nets with residual connections or with batch norm do not. Per-layer gradient
 * norms at initialization show why.
 */
public final class DeeperNetsLab implements Lab {
    private static final double LR = 0.02, MOMENTUM = 0.9;
    private static final int WIDTH = 32, BATCH = 32;
    /** The rule's margins: the deepest plain net at least 25% above the shallowest; the remedies within 10% of it. */
    private static final double DEPTH_PENALTY = 1.25, REMEDY_SLACK = 1.10;

    private enum Variant {
        PLAIN("plain"), RESIDUAL("residual"), BATCH_NORM("batch norm");

        final String label;

        Variant(String label) {
            this.label = label;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        MlpSpec spec(int hidden) {
            return new MlpSpec(WIDTH, hidden, Activation.Kind.RELU, Init::pytorchDefaultWeight, this == BATCH_NORM, this == RESIDUAL);
        }
    }

    @Override
    public String name() {
        return "deeper-nets";
    }

    @Override
    public int number() {
        return 6;
    }

    @Override
    public String title() {
        return "Deeper is not better without help";
    }

    @Override
    public String note() {
        return "001_e82c585286b62341.txt, 003_10f6ee09823418f6.txt, 004_88f3164683877823.txt";
    }

    @Override
    public String claim() {
        return "A deeper network can represent everything a shallower one can (its extra layers could copy their input), so if a "
                + "deep plain network ends with a higher loss on its own training data than a shallow one, that is not overfitting "
                + "and not a lack of capacity but a failure of optimization: the classic example is a 56-layer network doing worse "
                + "than a 20-layer one on the training set. Gradients through a long product of per-layer factors vanish or "
                + "explode, and residual connections (each block adds its input back, y = x + f(x)) and batch normalization "
                + "(each layer's pre-activations standardized over the batch) remove the problem, so the deep network trains "
                + "at least as well as the shallow one.";
    }

    @Override
    public String method() {
        return "Fully connected ReLU classifiers of width " + WIDTH + " on 14 x 14 digit images (quick: 256 training "
                + "samples, full: 1000), with H hidden layers (quick: H = 2 and 12; full: 2, 6, 12, 24), built three ways from Ravine's layers: plain (Linear, ReLU), residual (every hidden "
                + "layer after the first wrapped as x + ReLU(Linear(x))) and batch norm (Linear, BatchNorm, ReLU). Every Linear "
                + "weight has torch's default initialization (uniform, bound 1/sqrt(fan_in)), the same for all three. Each net is "
                + "trained with Ravine's Trainer, SGD lr " + LR + " momentum " + MOMENTUM + ", batch " + BATCH + ", the same "
                + "number of epochs for every depth (quick 6, full 12), from each seed's initialization and batch order (quick 3 "
                + "seeds, full 10). The figure is the training loss after training: cross-entropy over the whole training set in "
                + "inference mode. The per-layer gradient norms are ||dL/dW|| of each Linear weight on one batch of 256 training "
                + "samples at initialization (first seed), input layer first.";
    }

    @Override
    public String decisionRule() {
        return "Held if (1) the deepest plain net's mean training loss (over seeds) is at least 1.25 times the shallowest plain net's, "
                + "and (2) at the deepest depth both the residual and the batch-norm net have a mean training loss at most 1.1 times "
                + "the shallowest plain net's. Otherwise it did not hold.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        int[] depths = settings.quickRun() ? new int[] {2, 12} : new int[] {2, 6, 12, 24};
        int epochs = settings.pick(6, 12);
        List<Long> seeds = settings.seeds();
        DigitData data = DigitData.load(settings.pick(256, 1000), 10);
        List<Figure> figures = new ArrayList<>();
        Map<Variant, double[]> losses = new java.util.EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            double[] mean = new double[depths.length];
            for (int d = 0; d < depths.length; d++) {
                double sum = 0;
                int diverged = 0;
                for (long seed : seeds) {
                    double loss = trainedLoss(v.spec(depths[d]), data, epochs, seed);
                    sum += loss;
                    if (!Double.isFinite(loss)) diverged++;
                }
                mean[d] = sum / seeds.size();
                figures.add(new Figure(key(v, depths[d]), v.label + ", " + depths[d] + " hidden layers: training loss after " + epochs
                        + " epochs (mean over " + seeds.size() + " seeds; none when a run diverged)", Double.isFinite(mean[d]) ? mean[d] : Double.NaN,
                        "nats"));
                figures.add(new Figure(divergedKey(v, depths[d]), v.label + ", " + depths[d] + " hidden layers: runs that diverged, of "
                        + seeds.size(), diverged, "runs"));
            }
            losses.put(v, mean);
        }
        int deepest = depths[depths.length - 1], shallowest = depths[0];
        double plainShallow = losses.get(Variant.PLAIN)[0], plainDeep = losses.get(Variant.PLAIN)[depths.length - 1];
        double residualDeep = losses.get(Variant.RESIDUAL)[depths.length - 1], bnDeep = losses.get(Variant.BATCH_NORM)[depths.length - 1];
        boolean penalty = plainDeep >= DEPTH_PENALTY * plainShallow;
        boolean removed = residualDeep <= REMEDY_SLACK * plainShallow && bnDeep <= REMEDY_SLACK * plainShallow;
        Verdict verdict = Verdict.of(penalty && removed, String.format(Locale.ROOT,
                        "the plain net's training loss went from %.4f at %d hidden layers to %.4f at %d (%.2fx, the rule asks >= 1.25x); "
                                + "at %d layers the residual net reached %.4f and the batch-norm net %.4f (the rule asks <= 1.1 x %.4f = %.4f)",
                        plainShallow, shallowest, plainDeep, deepest, plainDeep / plainShallow, deepest, residualDeep, bnDeep, plainShallow,
                        REMEDY_SLACK * plainShallow),
                deciding(Variant.PLAIN, shallowest, plainShallow), deciding(Variant.PLAIN, deepest, plainDeep),
                deciding(Variant.RESIDUAL, deepest, residualDeep), deciding(Variant.BATCH_NORM, deepest, bnDeep));

        List<Chart> charts = new ArrayList<>();
        double[] x = new double[depths.length];
        for (int d = 0; d < depths.length; d++) x[d] = depths[d];
        List<Series> lossSeries = new ArrayList<>();
        for (Variant v : Variant.values()) lossSeries.add(Series.line(v.label, x, losses.get(v)));
        charts.add(new LineChart("training-loss", "Training loss after training, by depth",
                "Cross-entropy on the whole training set after the same number of epochs, mean over seeds, for each depth and each "
                        + "kind of net (log scale).", "hidden layers", "training loss", true, lossSeries));
        List<Series> gradSeries = new ArrayList<>();
        Map<Variant, Double> firstOverLast = new java.util.EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            Sequential model = v.spec(deepest).build(DigitData.FEATURES, DigitData.CLASSES, new Rng(settings.seeds().getFirst()));
            double[] g = LayerGradients.norms(model, new CrossEntropyLoss(), NetTraining.batch(data.train(), 256));
            firstOverLast.put(v, g[0] / g[g.length - 1]);
            double[] layer = new double[g.length];
            for (int i = 0; i < g.length; i++) layer[i] = i + 1;
            gradSeries.add(Series.line(v.label, layer, g));
            figures.add(new Figure(v.key() + ".grad_first_over_last", v.label + ", " + deepest + " hidden layers: ||dL/dW|| of the first layer "
                    + "over the last at initialization", g[0] / g[g.length - 1], ""));
        }
        charts.add(new LineChart("layer-gradients", "Per-layer gradient norms at initialization, " + deepest + " hidden layers",
                "||dL/dW|| of each Linear layer (1 = the input layer, the last = the output layer) on one batch of 256 training "
                        + "samples before any training, log scale.", "layer", "gradient norm", true, gradSeries));
        String reading = String.format(Locale.ROOT, "With torch's default initialization each plain ReLU layer shrinks the signal (its "
                        + "weights' variance is 1/(3 fan_in), a third of what ReLU needs to keep it), so in the %d-layer plain net the "
                        + "gradient reaching the first layer is %.2e times the last layer's at initialization and the early layers barely "
                        + "learn in the budget: the deepest plain net ended at a training loss %.2fx the shallowest one's (chance, ln 10, is "
                        + "2.303). The residual shortcut carries the signal and its gradient past every block (first-to-last ratio %.3g) and "
                        + "batch norm rescales each layer's pre-activations to unit variance (ratio %.3g), so neither has the long shrinking "
                        + "product. Whether that is enough in this budget is what the rule's second part measures: at %d hidden layers the "
                        + "residual net reached %s and the batch-norm net %s, against %.4f for the shallowest plain net. A residual net "
                        + "without normalization adds each block's output to a growing sum, so its activations and its curvature grow with "
                        + "depth, and at a fixed learning rate and momentum (SGD %s, %s) a deep one can diverge (infinite loss above). "
                        + "Data: %s.",
                deepest, firstOverLast.get(Variant.PLAIN), plainDeep / plainShallow, firstOverLast.get(Variant.RESIDUAL),
                firstOverLast.get(Variant.BATCH_NORM), deepest, lossText(residualDeep), lossText(bnDeep), plainShallow, LR, MOMENTUM, data.source());
        return new LabResult(figures, verdict, charts, reading);
    }

    private static double trainedLoss(MlpSpec spec, DigitData data, int epochs, long seed) {
        Sequential model = spec.build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
        NetTraining run = NetTraining.fit(model, OptimizerAssembly.of("sgd", Map.of("lr", LR, "momentum", MOMENTUM)), data.train(), BATCH,
                epochs, seed);
        double loss = run.evaluate(data.train()).loss();
        return Double.isFinite(loss) ? loss : Double.POSITIVE_INFINITY;
    }

    private static String lossText(double loss) {
        return Double.isFinite(loss) ? String.format(Locale.ROOT, "%.4f", loss) : "an infinite loss (at least one seed diverged)";
    }

    /** The loss decides where it is finite; where a run diverged (the rule counts it as infinite) the count of diverged runs. */
    private static String deciding(Variant v, int depth, double loss) {
        return Double.isFinite(loss) ? key(v, depth) : divergedKey(v, depth);
    }

    private static String divergedKey(Variant v, int depth) {
        return v.key() + ".depth_" + depth + ".diverged";
    }

    private static String key(Variant v, int depth) {
        return v.key() + ".depth_" + depth + ".train_loss";
    }
}
