package dev.ravine.lab.labs;

import dev.ravine.data.Dataset;
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
import dev.ravine.lab.net.MlpSpec;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Sequential;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.EpochEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 10: rprop and L-BFGS are full-batch methods. On one weight whose mini-batch gradients cancel over an epoch, rprop
 * on mini-batches drifts (it adds up signs, not gradients) while full-batch rprop stays put and RMSprop, the note's
 * mini-batch form of rprop, nearly does. On a digit classifier, each of rprop and L-BFGS is trained full-batch and on
 * mini-batches for the same number of epochs.
 */
public final class FullBatchLab implements Lab {
    private static final int WIDTH = 64, MINI_BATCH = 50;
    private static final MlpSpec NET = new MlpSpec(WIDTH, 1, Activation.Kind.TANH, (w, r) -> Init.xavierUniform(w, r, 1.0), false, false);
    /** The toy's epoch: nine mini-batches whose gradient is +0.1, then one whose gradient is -0.9 (the epoch's mean is 0). */
    private static final double SMALL = 0.1, LARGE = -0.9;
    private static final int TOY_BATCHES = 10;

    /** A net's training method: the optimizer, its options and the batch size (0: the whole training set). */
    record Method(String key, String label, String optimizer, Map<String, ?> options, int batch) {}

    private static final List<Method> METHODS = List.of(
            new Method("rprop_full", "rprop, full batch", "rprop", Map.of(), 0),
            new Method("rprop_mini", "rprop, mini-batch " + MINI_BATCH, "rprop", Map.of(), MINI_BATCH),
            new Method("lbfgs_full", "L-BFGS, full batch", "lbfgs", Map.of("line_search_fn", "strong_wolfe", "max_iter", 10), 0),
            new Method("lbfgs_mini", "L-BFGS, mini-batch " + MINI_BATCH, "lbfgs", Map.of("line_search_fn", "strong_wolfe", "max_iter", 10), MINI_BATCH),
            new Method("rmsprop_mini", "RMSprop, mini-batch " + MINI_BATCH, "rmsprop", Map.of("lr", 0.001), MINI_BATCH));

    @Override
    public String name() {
        return "full-batch-methods";
    }

    @Override
    public int number() {
        return 10;
    }

    @Override
    public String title() {
        return "rprop and L-BFGS: full batch vs mini-batch";
    }

    @Override
    public String note() {
        return "002_7b17531979328832.txt";
    }

    @Override
    public String claim() {
        return "rprop steps each weight by its own step size in the direction of the gradient's sign, growing the step while the "
                + "sign stays the same and shrinking it when the sign flips. That only works with full-batch gradients: on "
                + "mini-batches it adds up signs instead of gradients, so a weight whose mini-batch gradients are +0.1 nine times "
                + "and -0.9 once (zero on average) keeps moving when it should stay. RMSprop is the way to combine rprop's idea "
                + "(divide by the gradient's size) with mini-batches. For small data sets the advice is full-batch training with "
                + "L-BFGS or an adaptive method such as rprop; for large ones mini-batch SGD, with momentum and RMSprop.";
    }

    @Override
    public String method() {
        return "Toy: one weight, epochs of " + TOY_BATCHES + " mini-batch gradients (+" + SMALL + " nine times, then " + LARGE
                + "), set directly as the weight's gradient; Ravine's rprop (torch defaults: lr 0.01, etas 0.5/1.2, step sizes "
                + "1e-6..50) and RMSprop (lr 0.01) take one step per mini-batch, and full-batch rprop one step per epoch on the "
                + "epoch's mean gradient, 0 (quick 20 epochs, full 100). Net: a 196-" + WIDTH + "-10 tanh classifier (Xavier "
                + "init) on 14 x 14 digits (quick 300, full 600 training samples), cross-entropy, trained for the same number of "
                + "epochs (quick 8, full 40) by rprop and by L-BFGS (strong Wolfe line search, at most 10 iterations per step), each "
                + "on the whole training set as one batch and on shuffled mini-batches of " + MINI_BATCH + ", and by RMSprop "
                + "(lr 0.001) on mini-batches of " + MINI_BATCH + "; the figure is the loss over the whole training set after the "
                + "last epoch (inference mode), mean over seeds (quick 3, full 10). The same epochs give the mini-batch runs "
                + "many more updates than the full-batch ones: that is the comparison the advice makes.";
    }

    @Override
    public String decisionRule() {
        return "Held if (1) on the toy, full-batch rprop's weight does not move while mini-batch rprop's drifts more than 10 "
                + "times as far as mini-batch RMSprop's, (2) full-batch rprop ends with a lower mean training loss than mini-batch "
                + "rprop, (3) full-batch L-BFGS ends lower than mini-batch L-BFGS, and (4) mini-batch RMSprop ends lower than "
                + "mini-batch rprop. Otherwise it did not hold.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        int toyEpochs = settings.pick(20, 100);
        double[] rpropMini = toyPath("rprop", Map.of(), toyEpochs, true);
        double[] rpropFull = toyPath("rprop", Map.of(), toyEpochs, false);
        double[] rmspropMini = toyPath("rmsprop", Map.of("lr", 0.01), toyEpochs, true);
        List<Figure> figures = new ArrayList<>();
        double driftRprop = Math.abs(last(rpropMini)), driftFull = Math.abs(last(rpropFull)), driftRms = Math.abs(last(rmspropMini));
        figures.add(new Figure("toy.rprop_mini_drift", "toy: |w| after " + toyEpochs + " epochs, rprop on mini-batches", driftRprop, ""));
        figures.add(new Figure("toy.rprop_full_drift", "toy: |w| after " + toyEpochs + " epochs, rprop full batch", driftFull, ""));
        figures.add(new Figure("toy.rmsprop_mini_drift", "toy: |w| after " + toyEpochs + " epochs, RMSprop on mini-batches", driftRms, ""));

        DigitData data = DigitData.load(settings.pick(300, 600), 10);
        int epochs = settings.pick(8, 40);
        Map<String, Double> finalLoss = new LinkedHashMap<>();
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (Method m : METHODS) {
            double[] curve = new double[epochs];
            double loss = 0;
            for (long seed : settings.seeds()) {
                NetTraining run = train(m, data.train(), epochs, seed);
                loss += run.evaluate(data.train()).loss() / settings.seeds().size();
                List<EpochEvent> history = run.result().history();
                for (int e = 0; e < epochs; e++) {
                    curve[e] += (e < history.size() ? history.get(e).trainLoss() : Double.NaN) / settings.seeds().size();
                }
            }
            finalLoss.put(m.key(), loss);
            curves.put(m.label(), curve);
            figures.add(new Figure(m.key() + ".train_loss", m.label() + ": training loss after " + epochs + " epochs (mean)", loss, ""));
        }
        boolean toyHeld = driftFull == 0 && driftRprop > 10 * driftRms;
        boolean rprop = finalLoss.get("rprop_full") < finalLoss.get("rprop_mini");
        boolean lbfgs = finalLoss.get("lbfgs_full") < finalLoss.get("lbfgs_mini");
        boolean rmsprop = finalLoss.get("rmsprop_mini") < finalLoss.get("rprop_mini");
        Verdict verdict = Verdict.of(toyHeld && rprop && lbfgs && rmsprop, String.format(Locale.ROOT,
                        "toy: |w| %.3g (rprop, mini-batch), %.3g (rprop, full batch), %.3g (RMSprop, mini-batch); net training loss after "
                                + "%d epochs: rprop %.4f full batch vs %.4f mini-batch, L-BFGS %.4f full batch vs %.4f mini-batch, RMSprop "
                                + "mini-batch %.4f (the rule asks a still full-batch rprop and a 10x larger drift than RMSprop's, lower "
                                + "full-batch losses for rprop and L-BFGS, and RMSprop below rprop on mini-batches)",
                        driftRprop, driftFull, driftRms, epochs, finalLoss.get("rprop_full"), finalLoss.get("rprop_mini"),
                        finalLoss.get("lbfgs_full"), finalLoss.get("lbfgs_mini"), finalLoss.get("rmsprop_mini")),
                "toy.rprop_mini_drift", "toy.rprop_full_drift", "toy.rmsprop_mini_drift", "rprop_full.train_loss", "rprop_mini.train_loss",
                "lbfgs_full.train_loss", "lbfgs_mini.train_loss", "rmsprop_mini.train_loss");
        return new LabResult(figures, verdict, charts(rpropMini, rpropFull, rmspropMini, curves), reading(driftRprop, driftRms, finalLoss, epochs, data));
    }

    /** The digit classifier trained by one method from seed's initialization and batch order. */
    static NetTraining train(Method m, Dataset train, int epochs, long seed) {
        Sequential model = NET.build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
        int batch = m.batch() == 0 ? train.size() : m.batch();
        return NetTraining.fit(model, OptimizerAssembly.of(m.optimizer(), m.options()), train, batch, epochs, seed);
    }

    /** The method of {@code key} (rprop_full, rprop_mini, lbfgs_full, lbfgs_mini, rmsprop_mini). */
    static Method method(String key) {
        return METHODS.stream().filter(m -> m.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + key + "; the lab's methods: "
                        + METHODS.stream().map(Method::key).toList()));
    }

    /**
     * The toy weight after every step: {@code epochs} epochs of the optimizer on the toy's gradients, one step per
     * mini-batch, or, full batch, one step per epoch on the epoch's mean gradient (exactly 0).
     */
    private static double[] toyPath(String optimizer, Map<String, ?> options, int epochs, boolean miniBatch) {
        Tensor w = Tensor.of(new float[] {0f}, 1).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", w);
        Optimizer opt = OptimizerAssembly.of(optimizer, options).build(params);
        int steps = miniBatch ? epochs * TOY_BATCHES : epochs;
        double[] path = new double[steps + 1];
        for (int s = 0; s < steps; s++) {
            double g = miniBatch ? (s % TOY_BATCHES == TOY_BATCHES - 1 ? LARGE : SMALL) : 0.0;
            w.setGrad(Tensor.of(new float[] {(float) g}, 1));
            opt.step();
            path[s + 1] = w.item();
        }
        return path;
    }

    private static List<Chart> charts(double[] rpropMini, double[] rpropFull, double[] rmspropMini, Map<String, double[]> curves) {
        double[] epochAxis = new double[rpropMini.length];
        for (int i = 0; i < epochAxis.length; i++) epochAxis[i] = i / (double) TOY_BATCHES;
        double[] fullAxis = new double[rpropFull.length];
        for (int i = 0; i < fullAxis.length; i++) fullAxis[i] = i;
        List<Series> netSeries = new ArrayList<>();
        curves.forEach((label, curve) -> {
            double[] x = new double[curve.length];
            for (int e = 0; e < x.length; e++) x[e] = e + 1;
            netSeries.add(Series.line(label, x, curve));
        });
        return List.of(
                new LineChart("toy", "One weight whose mini-batch gradients cancel over an epoch",
                        "The weight after each step (x: epochs). Mini-batch gradients are +0.1 nine times, then -0.9: their mean is 0, "
                                + "so the right answer is to stay at 0.", "epoch", "w", false,
                        List.of(Series.line("rprop, mini-batch", epochAxis, rpropMini), Series.dashed("rprop, full batch", fullAxis, rpropFull),
                                Series.line("RMSprop, mini-batch", epochAxis, rmspropMini))),
                new LineChart("net", "Training loss per epoch on the digit classifier",
                        "Mean over seeds of each epoch's training loss (the mean of its batches' losses; for a full-batch run, its one "
                                + "batch), log scale.", "epoch", "training loss", true, netSeries));
    }

    private static String reading(double driftRprop, double driftRms, Map<String, Double> loss, int epochs, DigitData data) {
        return String.format(Locale.ROOT, "On the toy, rprop on mini-batches walked the weight %.3g away from 0 although its average gradient is "
                        + "zero: each of the nine small positive gradients grows its step and pushes it down, and the one large negative "
                        + "gradient only undoes one step and shrinks the next. RMSprop, which divides each gradient by a running size "
                        + "instead of keeping only its sign, ended %.3g from 0; full-batch rprop sees the mean gradient, 0, and does not move. "
                        + "On the classifier after %d epochs, rprop reached a training loss of %.4f full batch and %.4f on mini-batches, "
                        + "L-BFGS %.4f and %.4f, and RMSprop on mini-batches %.4f. Data: %s.",
                driftRprop, driftRms, epochs, loss.get("rprop_full"), loss.get("rprop_mini"), loss.get("lbfgs_full"), loss.get("lbfgs_mini"),
                loss.get("rmsprop_mini"), data.source());
    }

    private static double last(double[] v) {
        return v[v.length - 1];
    }
}
