package dev.ravine.lab.labs;

import dev.ravine.init.Init;
import dev.ravine.init.Initializer;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.HeatMapChart;
import dev.ravine.lab.net.DigitData;
import dev.ravine.lab.net.LayerGradients;
import dev.ravine.lab.net.MlpSpec;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import dev.ravine.train.TrainingStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 7: per-layer gradient norms of a 10-hidden-layer net under each activation (sigmoid, tanh, ReLU), each
 * initialization (small random, Xavier, He, orthogonal, large random), with batch norm and with gradient clipping, at
 * initialization and after training: one table (the figures) and heat maps of log10 ||dL/dW|| by layer.
 */
public final class VanishingExplodingLab implements Lab {
    private static final int WIDTH = 32, HIDDEN = 10, BATCH = 32;
    private static final double LR = 0.05, MOMENTUM = 0.9, CLIP = 1.0;

    /** One row of the table: activation, initializer, batch norm, clipping. */
    private record Setup(String key, String label, Activation.Kind activation, Initializer init, boolean batchNorm, boolean clip, Role role) {
        MlpSpec spec() {
            return new MlpSpec(WIDTH, HIDDEN, activation, init, batchNorm, false);
        }
    }

    /** What the decision rule expects of a row at initialization. */
    private enum Role { VANISHING, EXPLODING, REMEDY, SHOWN }

    private static final Initializer SMALL = (w, r) -> Init.normal(w, r, 0, 0.01);
    private static final Initializer LARGE = (w, r) -> Init.normal(w, r, 0, 1);
    private static final Initializer XAVIER = (w, r) -> Init.xavierNormal(w, r, 1);
    private static final Initializer HE = (w, r) -> Init.kaimingNormal(w, r, 0, true, "relu");
    private static final Initializer ORTHOGONAL = (w, r) -> Init.orthogonal(w, r, Math.sqrt(2));

    private static final List<Setup> SETUPS = List.of(
            new Setup("sigmoid_small", "sigmoid, N(0, 0.01)", Activation.Kind.SIGMOID, SMALL, false, false, Role.VANISHING),
            new Setup("sigmoid_xavier", "sigmoid, Xavier", Activation.Kind.SIGMOID, XAVIER, false, false, Role.SHOWN),
            new Setup("tanh_small", "tanh, N(0, 0.01)", Activation.Kind.TANH, SMALL, false, false, Role.VANISHING),
            new Setup("tanh_xavier", "tanh, Xavier", Activation.Kind.TANH, XAVIER, false, false, Role.REMEDY),
            new Setup("relu_small", "ReLU, N(0, 0.01)", Activation.Kind.RELU, SMALL, false, false, Role.SHOWN),
            new Setup("relu_he", "ReLU, He", Activation.Kind.RELU, HE, false, false, Role.REMEDY),
            new Setup("relu_orthogonal", "ReLU, orthogonal (gain sqrt 2)", Activation.Kind.RELU, ORTHOGONAL, false, false, Role.REMEDY),
            new Setup("relu_large", "ReLU, N(0, 1)", Activation.Kind.RELU, LARGE, false, false, Role.EXPLODING),
            new Setup("relu_large_clip", "ReLU, N(0, 1), clip 1", Activation.Kind.RELU, LARGE, false, true, Role.SHOWN),
            new Setup("relu_large_bn", "ReLU, N(0, 1), batch norm", Activation.Kind.RELU, LARGE, true, false, Role.REMEDY),
            new Setup("sigmoid_small_bn", "sigmoid, N(0, 0.01), batch norm", Activation.Kind.SIGMOID, SMALL, true, false, Role.REMEDY));

    @Override
    public String name() {
        return "vanishing-exploding";
    }

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String title() {
        return "Vanishing and exploding gradients";
    }

    @Override
    public String note() {
        return "003_10f6ee09823418f6.txt, 004_88f3164683877823.txt";
    }

    @Override
    public String claim() {
        return "Backpropagation multiplies the error signal by one factor per layer (the layer's weights and its activation's "
                + "derivative), so in a deep net it shrinks geometrically toward the input when the factors are below 1 (sigmoid's "
                + "derivative is at most 1/4, tanh's saturates, small weights) and grows geometrically when they are above 1 (large "
                + "weights): vanishing and exploding gradients. The remedies: an initialization scaled to the layer (Xavier/Glorot "
                + "for tanh and sigmoid, He/Kaiming or orthogonal for ReLU), batch normalization, and, for exploding gradients, "
                + "gradient clipping, which caps the step so the run does not blow up.";
    }

    @Override
    public String method() {
        return "A classifier of " + HIDDEN + " hidden layers of width " + WIDTH + " (Ravine's Linear, optional BatchNorm, activation; a "
                + "Linear output layer) on 14 x 14 digit images, in " + SETUPS.size() + " setups: " + String.join("; ",
                SETUPS.stream().map(Setup::label).toList()) + ". Xavier is normal with std sqrt(2/(fan_in+fan_out)), He normal with "
                + "std sqrt(2/fan_in), orthogonal is a random orthogonal matrix times sqrt(2). The gradient norm of every Linear "
                + "weight, ||dL/dW||, is measured on one batch of 256 training samples at initialization and again after training "
                + "(SGD lr " + LR + ", momentum " + MOMENTUM + ", batch " + BATCH + ", quick: 3 epochs on 256 samples, full: 10 epochs on "
                + "1000; 'clip 1' adds Ravine's global-norm clipping to 1 before the step), as the geometric mean over seeds (quick 3, "
                + "full 10). The first-to-last ratio is layer 1's norm over the output layer's.";
    }

    @Override
    public String decisionRule() {
        return "Held if, at initialization, (1) vanishing: sigmoid and tanh with N(0, 0.01) weights have a first-to-last gradient "
                + "ratio below 1e-2; (2) exploding: ReLU with N(0, 1) weights has a total gradient norm more than 1e3 times ReLU with "
                + "He's; (3) remedies: tanh + Xavier, ReLU + He, ReLU + orthogonal, ReLU N(0, 1) + batch norm and sigmoid N(0, 0.01) "
                + "+ batch norm each have a first-to-last ratio between 0.1 and 10; and (4) clipping: ReLU with N(0, 1) weights and "
                + "clipping ends training with a lower training loss than without (a run that diverged counts as infinite loss). "
                + "Otherwise it did not hold, naming the parts that failed.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        List<Long> seeds = settings.seeds();
        int epochs = settings.pick(3, 10);
        DigitData data = DigitData.load(settings.pick(256, 1000), 10);
        var probe = NetTraining.batch(data.train(), 256);
        int layers = HIDDEN + 1;
        double[] initial = new double[SETUPS.size() * layers], trained = new double[SETUPS.size() * layers];
        List<Figure> figures = new ArrayList<>();
        Map<String, Double> ratio = new java.util.HashMap<>(), total = new java.util.HashMap<>(), loss = new java.util.HashMap<>();
        for (int s = 0; s < SETUPS.size(); s++) {
            Setup setup = SETUPS.get(s);
            double[] logInit = new double[layers], logTrained = new double[layers];
            double lossSum = 0;
            int finiteAfter = 0, diverged = 0;
            for (long seed : seeds) {
                Sequential model = setup.spec().build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
                double[] g0 = LayerGradients.norms(model, new CrossEntropyLoss(), probe);
                for (int l = 0; l < layers; l++) logInit[l] += Math.log10(g0[l]) / seeds.size();
                OptimizerAssembly sgd = OptimizerAssembly.of("sgd", Map.of("lr", LR, "momentum", MOMENTUM));
                if (setup.clip) sgd = sgd.withShared(List.of(new ClipByGlobalNorm(CLIP)));
                NetTraining run = NetTraining.fit(model, sgd, data.train(), BATCH, epochs, seed);
                double after = run.result().status() == TrainingStatus.DIVERGED ? Double.POSITIVE_INFINITY : run.evaluate(data.train()).loss();
                lossSum += Double.isFinite(after) ? after : Double.POSITIVE_INFINITY;
                if (!Double.isFinite(after)) diverged++;
                double[] g1 = LayerGradients.norms(model, new CrossEntropyLoss(), probe);
                boolean finite = Double.isFinite(after);
                for (double v : g1) finite &= Double.isFinite(v) && v > 0;
                if (finite) {
                    finiteAfter++;
                    for (int l = 0; l < layers; l++) logTrained[l] += Math.log10(g1[l]);
                }
            }
            double totalSq = 0;
            for (int l = 0; l < layers; l++) {
                initial[s * layers + l] = Math.pow(10, logInit[l]);
                trained[s * layers + l] = finiteAfter == 0 ? Double.NaN : Math.pow(10, logTrained[l] / finiteAfter);
                totalSq += initial[s * layers + l] * initial[s * layers + l];
            }
            double r0 = initial[s * layers] / initial[s * layers + layers - 1];
            double r1 = trained[s * layers] / trained[s * layers + layers - 1];
            double meanLoss = lossSum / seeds.size();
            ratio.put(setup.key, r0);
            total.put(setup.key, Math.sqrt(totalSq));
            loss.put(setup.key, meanLoss);
            figures.add(new Figure(setup.key + ".init.first_over_last", setup.label + ": first-to-last gradient ratio at initialization", r0, ""));
            figures.add(new Figure(setup.key + ".init.total", setup.label + ": total gradient norm at initialization", Math.sqrt(totalSq), ""));
            figures.add(new Figure(setup.key + ".trained.first_over_last", setup.label + ": first-to-last gradient ratio after training"
                    + (finiteAfter < seeds.size() ? " (" + (seeds.size() - finiteAfter) + " of " + seeds.size() + " runs diverged)" : ""), r1, ""));
            figures.add(new Figure(setup.key + ".trained.loss", setup.label + ": training loss after training (mean over seeds; none when a run "
                    + "diverged)", Double.isFinite(meanLoss) ? meanLoss : Double.NaN, "nats"));
            figures.add(new Figure(setup.key + ".trained.diverged", setup.label + ": runs that diverged, of " + seeds.size(), diverged, "runs"));
        }
        List<String> failed = new ArrayList<>(), deciding = new ArrayList<>();
        for (Setup s : SETUPS) {
            if (s.role == Role.VANISHING) {
                deciding.add(s.key + ".init.first_over_last");
                if (!(ratio.get(s.key) < 1e-2)) failed.add(String.format(Locale.ROOT, "%s's ratio is %.2e, not below 1e-2", s.label, ratio.get(s.key)));
            } else if (s.role == Role.REMEDY) {
                deciding.add(s.key + ".init.first_over_last");
                double r = ratio.get(s.key);
                if (!(r >= 0.1 && r <= 10)) failed.add(String.format(Locale.ROOT, "%s's ratio is %.2e, outside [0.1, 10]", s.label, r));
            }
        }
        double explode = total.get("relu_large") / total.get("relu_he");
        deciding.add("relu_large.init.total");
        deciding.add("relu_he.init.total");
        if (!(explode > 1e3)) failed.add(String.format(Locale.ROOT, "N(0, 1) ReLU's total gradient is only %.2ex He's", explode));
        double clipped = loss.get("relu_large_clip"), unclipped = loss.get("relu_large");
        // a diverged run has no loss to show: its count decides instead (the rule counts it as infinite)
        for (String k : List.of("relu_large_clip", "relu_large")) deciding.add(k + (Double.isFinite(loss.get(k)) ? ".trained.loss" : ".trained.diverged"));
        if (!(clipped < unclipped)) failed.add(String.format(Locale.ROOT, "clipping ended at loss %s against %s without", fmt(clipped), fmt(unclipped)));
        String summary = String.format(Locale.ROOT, "sigmoid N(0, 0.01) first-to-last ratio %.2e, tanh N(0, 0.01) %.2e; N(0, 1) ReLU's total "
                        + "gradient %.2ex He's; remedies' ratios %s; training loss with clipping %s, without %s",
                ratio.get("sigmoid_small"), ratio.get("tanh_small"), explode, remedyRatios(ratio), fmt(clipped), fmt(unclipped));
        Verdict verdict = Verdict.of(failed.isEmpty(), failed.isEmpty() ? "every part held: " + summary : "failed: " + String.join("; ", failed)
                + " (" + summary + ")", deciding.toArray(String[]::new));
        List<String> rows = SETUPS.stream().map(Setup::label).toList();
        List<String> columns = new ArrayList<>();
        for (int l = 1; l <= HIDDEN; l++) columns.add(String.valueOf(l));
        columns.add("out");
        List<Chart> charts = List.of(
                new HeatMapChart("gradients-at-init", "||dL/dW|| by layer at initialization",
                        "One row per setup, one column per Linear layer (1 = the input layer, out = the output layer); colour: log10 of "
                                + "the gradient norm (geometric mean over seeds), each cell printing it.", "layer", rows, columns, initial, true),
                new HeatMapChart("gradients-after-training", "||dL/dW|| by layer after training",
                        "The same after training (grey: every seed's run diverged, so no gradient is left to read).", "layer", rows, columns,
                        trained, true));
        String reading = String.format(Locale.ROOT, "The heat map at initialization shows the product of per-layer factors directly. "
                        + "Sigmoid's derivative is at most 1/4, so even with Xavier weights its error signal shrinks layer by layer toward "
                        + "the input; with N(0, 0.01) weights the first layer of the sigmoid net gets %.2e of the output layer's gradient and "
                        + "the tanh net %.2e. In a ReLU net with N(0, 1) weights the forward signal and the backward signal grow by the same "
                        + "gain per layer (about 4 at width 32), so the first-to-last ratio stays at %.2f while the whole gradient grows with "
                        + "the gain to the power of the depth: %.2e times He's, and plain SGD diverged, while the same net with global-norm "
                        + "clipping stayed finite and ended at training loss %s (its logits are still huge: clipping caps the step, it does "
                        + "not repair the scale). With N(0, 0.01) weights the ReLU net's forward signal is carried by the biases (torch's "
                        + "default, uniform within 1/sqrt(fan_in)) and does not shrink, but the backward one does, so its ratio is %.2e. He, "
                        + "orthogonal and Xavier (for tanh) keep every layer's gradient within a factor of a few of the others. Data: %s.",
                ratio.get("sigmoid_small"), ratio.get("tanh_small"), ratio.get("relu_large"), explode, fmt(clipped), ratio.get("relu_small"),
                data.source());
        return new LabResult(figures, verdict, charts, reading);
    }

    private static String remedyRatios(Map<String, Double> ratio) {
        List<String> parts = new ArrayList<>();
        for (Setup s : SETUPS) if (s.role == Role.REMEDY) parts.add(String.format(Locale.ROOT, "%s %.3g", s.label, ratio.get(s.key)));
        return String.join(", ", parts);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "infinite (diverged)";
    }
}
