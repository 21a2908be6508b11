package dev.ravine.lab.labs;

import dev.ravine.data.Batch;
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
import dev.ravine.lab.net.LossMatch;
import dev.ravine.lab.net.MlpSpec;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.lab.net.SurfaceProbe;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Sequential;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 9: the same ReLU net with and without batch norm, trained with the same SGD; along the way the surface around the
 * weights is read on a fixed batch: its sharpness (the Hessian's top eigenvalue) and how much the loss changes along
 * the gradient over a range of step sizes. The control is the plain net with He's init (one that trains), compared with
 * batch norm at matched training loss ({@link LossMatch}).
 */
public final class BatchNormSmoothnessLab implements Lab {
    private static final int WIDTH = 32, HIDDEN = 6, BATCH = 32;
    private static final double LR = 0.05;
    /** The step sizes along -g, as multiples of the learning rate. */
    private static final double[] STEP_MULTIPLES = {0.25, 0.5, 1, 2, 4};
    private static final Initializer DEFAULT_INIT = Init::pytorchDefaultWeight;
    /** The control: plain, with He's initialization, so that its signal does not shrink with depth and it trains. */
    private static final Initializer HE = (w, r) -> Init.kaimingNormal(w, r, 0, true, "relu");

    @Override
    public String name() {
        return "batchnorm-smoothness";
    }

    @Override
    public int number() {
        return 9;
    }

    @Override
    public String title() {
        return "BatchNorm smooths the loss surface";
    }

    @Override
    public String note() {
        return "001_e82c585286b62341.txt";
    }

    @Override
    public String claim() {
        return "Batch normalization (standardizing each layer's pre-activations over the batch, then a learned scale and shift) "
                + "changes the error surface itself: it makes it smoother, less like a ravine with one very steep and one very flat "
                + "direction, so the loss changes more predictably along the gradient and training is faster and tolerates larger "
                + "learning rates.";
    }

    @Override
    public String method() {
        return "A ReLU classifier of " + HIDDEN + " hidden layers of width " + WIDTH + " on 14 x 14 digit images (quick: 256 training samples, "
                + "3 epochs; full: 1000 samples, 5 epochs), trained three ways with the same seeds (quick 3, full 10) and Ravine's SGD "
                + "lr " + LR + " (no momentum), batch " + BATCH + ": with batch norm (Linear, BatchNorm, ReLU) and torch's default init; "
                + "the control, the same plain net (Linear, ReLU) with He's init; and, shown for context only, the plain net with "
                + "torch's default init. Every 8 steps (quick) / 16 steps (full), on a fixed batch of 256 training samples in training "
                + "mode, the doctor's curvature tools read the loss there, the sharpness (the Hessian's top eigenvalue: "
                + SurfaceProbe.LANCZOS_STEPS + " Lanczos steps on exact Hessian-vector products) and the loss at theta - t g for t = lr x "
                + "(0.25, 0.5, 1, 2, 4); the loss range is the largest of those losses (and the loss at theta) minus the smallest. "
                + "Sharpness depends on how far a net has trained, so batch norm and the control are compared at matched training loss: "
                + "per seed and per loss level " + levels() + " nats (on the fixed batch), each net's first reading at or below the "
                + "level, for the levels both reached. Why this control: an earlier version of this lab compared batch norm with the "
                + "default-init plain net, which does not train here (its signal shrinks layer by layer; full-run loss 2.296, chance): "
                + "a net that does not move sits on a flat part of the surface, so its low sharpness said nothing about the claim, which "
                + "is about nets that train. The He-init plain net trains, and the matching compares the two where they stand on the "
                + "same loss.";
    }

    @Override
    public String decisionRule() {
        return "Held if, over the readings matched by training loss (each seed, each level both nets reached), the batch-norm net has "
                + "both a lower mean sharpness and a smaller mean loss range along the gradient than the He-init plain net. Without a "
                + "single matched reading it did not hold (nothing to compare). The default-init plain net is not in the rule.";
    }

    /** The readings of one run (columns: sharpness, loss range), and its final training loss. */
    private record Readings(List<LossMatch.Reading> rows, double finalLoss) {}

    private static final int SHARPNESS = 0, RANGE = 1;

    @Override
    public LabResult run(LabSettings settings) {
        List<Long> seeds = settings.seeds();
        int epochs = settings.pick(3, 5), every = settings.pick(8, 16);
        DigitData data = DigitData.load(settings.pick(256, 1000), 10);
        Batch probe = NetTraining.batch(data.train(), 256);
        List<Readings> plain = new ArrayList<>(), bn = new ArrayList<>(), he = new ArrayList<>();
        List<LossMatch.Pair> matched = new ArrayList<>();
        for (long seed : seeds) {
            plain.add(train(false, DEFAULT_INIT, data, probe, epochs, every, seed));
            bn.add(train(true, DEFAULT_INIT, data, probe, epochs, every, seed));
            he.add(train(false, HE, data, probe, epochs, every, seed));
            matched.addAll(LossMatch.pairs(bn.getLast().rows(), he.getLast().rows(), LEVELS));
        }
        List<Figure> figures = figures(plain, bn, he, matched, seeds.size());
        double bnSharp = LossMatch.mean(matched, true, SHARPNESS), heSharp = LossMatch.mean(matched, false, SHARPNESS);
        double bnRange = LossMatch.mean(matched, true, RANGE), heRange = LossMatch.mean(matched, false, RANGE);
        boolean held = !matched.isEmpty() && bnSharp < heSharp && bnRange < heRange;
        Verdict verdict = Verdict.of(held, String.format(Locale.ROOT, "at matched training loss (%d readings of %d seeds, mean loss %.3f with "
                        + "batch norm, %.3f He-init plain): mean sharpness %.3g with batch norm against %.3g without; mean loss range along the "
                        + "gradient %.4g against %.4g (the rule asks both lower with batch norm)", matched.size(), seeds.size(),
                        LossMatch.meanLoss(matched, true), LossMatch.meanLoss(matched, false), bnSharp, heSharp, bnRange, heRange),
                "matched.pairs", "matched.batchnorm.sharpness", "matched.plain_he.sharpness", "matched.batchnorm.loss_range",
                "matched.plain_he.loss_range");
        return new LabResult(figures, verdict, charts(plain, bn, he), reading(figures, data));
    }

    /** Training-loss levels (nats on the probe batch) at which batch norm and the control are compared. */
    private static final double[] LEVELS = {2.0, 1.5, 1.0, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08, 0.05};

    private static String levels() {
        StringBuilder sb = new StringBuilder();
        for (double l : LEVELS) sb.append(sb.isEmpty() ? "" : ", ").append(l);
        return sb.toString();
    }

    private static List<Figure> figures(List<Readings> plain, List<Readings> bn, List<Readings> he, List<LossMatch.Pair> matched, int seeds) {
        return List.of(
                new Figure("matched.pairs", "readings matched by training loss (all seeds)", matched.size(), "of " + LEVELS.length * seeds),
                new Figure("matched.batchnorm.loss", "batch norm: mean training loss at the matched readings", LossMatch.meanLoss(matched, true), "nats"),
                new Figure("matched.plain_he.loss", "plain, He init: mean training loss at the matched readings", LossMatch.meanLoss(matched, false), "nats"),
                new Figure("matched.batchnorm.sharpness", "batch norm: mean sharpness at matched training loss", LossMatch.mean(matched, true, SHARPNESS), ""),
                new Figure("matched.plain_he.sharpness", "plain, He init: mean sharpness at matched training loss", LossMatch.mean(matched, false, SHARPNESS), ""),
                new Figure("matched.batchnorm.loss_range", "batch norm: mean loss range along the gradient at matched training loss",
                        LossMatch.mean(matched, true, RANGE), "nats"),
                new Figure("matched.plain_he.loss_range", "plain, He init: mean loss range along the gradient at matched training loss",
                        LossMatch.mean(matched, false, RANGE), "nats"),
                new Figure("batchnorm.final_loss", "batch norm: training loss after training (mean over seeds)", finalLoss(bn), "nats"),
                new Figure("plain_he.final_loss", "plain, He init: training loss after training (mean over seeds)", finalLoss(he), "nats"),
                new Figure("plain.final_loss", "plain, default init (context, not in the rule): training loss after training", finalLoss(plain), "nats"),
                new Figure("plain.sharpness", "plain, default init (context): mean sharpness over every reading", mean(plain, SHARPNESS), ""),
                new Figure("plain.loss_range", "plain, default init (context): mean loss range over every reading", mean(plain, RANGE), "nats"),
                new Figure("stability_threshold", "SGD's stability threshold 2/lr", 2 / LR, ""));
    }

    private static String reading(List<Figure> f, DigitData data) {
        return String.format(Locale.ROOT, "Compared where both had reached the same training loss (%.0f readings; mean loss %.3f with batch "
                        + "norm, %.3f for the He-init plain net), the batch-norm net's top Hessian eigenvalue averaged %.3g and the plain "
                        + "net's %.3g (SGD at lr %s is stable below 2/lr = %.0f); along the gradient, over steps up to four learning rates, "
                        + "the loss spread over %.4g nats with batch norm and %.4g without. After training the batch-norm net's loss was "
                        + "%.3g and the He-init plain net's %.3g. Sharpness is measured in the weights' own coordinates: batch norm makes "
                        + "each layer's output independent of its weights' scale, which also changes what one unit of curvature means, so "
                        + "the loss range along the step the optimizer actually takes is the more direct reading of smoothness. The "
                        + "default-init plain net (context) ended at a loss of %.3g, mean sharpness %.3g and loss range %.4g: it barely "
                        + "trains, which is why it is not the control. Data: %s.",
                value(f, "matched.pairs"), value(f, "matched.batchnorm.loss"), value(f, "matched.plain_he.loss"),
                value(f, "matched.batchnorm.sharpness"), value(f, "matched.plain_he.sharpness"), LR, 2 / LR,
                value(f, "matched.batchnorm.loss_range"), value(f, "matched.plain_he.loss_range"), value(f, "batchnorm.final_loss"),
                value(f, "plain_he.final_loss"), value(f, "plain.final_loss"), value(f, "plain.sharpness"), value(f, "plain.loss_range"),
                data.source());
    }

    private static double value(List<Figure> figures, String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().value();
    }

    private static List<Chart> charts(List<Readings> plain, List<Readings> bn, List<Readings> he) {
        return List.of(
                overLoss("sharpness-by-loss", "Sharpness against training loss", "Each reading's top Hessian eigenvalue (log scale) at "
                        + "its training loss on the fixed batch, every seed: the rule compares batch norm and the He-init plain net "
                        + "along this x axis.", "sharpness", bn, he, SHARPNESS),
                overLoss("range-by-loss", "Loss range along the gradient against training loss", "Each reading's loss range along the "
                        + "gradient (log scale) at its training loss, every seed.", "loss range", bn, he, RANGE),
                chart("sharpness", "Sharpness during training", "The top Hessian eigenvalue on the fixed batch at "
                        + "each reading, one line per seed and net (log scale).", "sharpness", plain, bn, he, SHARPNESS),
                chart("loss-range", "Loss range along the gradient during training", "max - min of the loss at theta - t g, t = lr x (0, "
                        + "0.25, 0.5, 1, 2, 4), at each reading, one line per seed and net (log scale).", "loss range", plain, bn, he, RANGE));
    }

    private static LineChart overLoss(String anchor, String title, String description, String yLabel, List<Readings> bn, List<Readings> he,
                                      int column) {
        return new LineChart(anchor, title, description, "training loss on the fixed batch", yLabel, true, List.of(
                Series.points("batch norm", losses(bn), values(bn, column)), Series.points("plain, He init", losses(he), values(he, column))));
    }

    private static double[] losses(List<Readings> runs) {
        return runs.stream().flatMap(r -> r.rows().stream()).mapToDouble(LossMatch.Reading::loss).toArray();
    }

    private static double[] values(List<Readings> runs, int column) {
        return runs.stream().flatMap(r -> r.rows().stream()).mapToDouble(r -> r.values()[column]).toArray();
    }

    private static Readings train(boolean batchNorm, Initializer init, DigitData data, Batch probe, int epochs, int every, long seed) {
        Sequential model = new MlpSpec(WIDTH, HIDDEN, Activation.Kind.RELU, init, batchNorm, false)
                .build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
        double[] steps = new double[STEP_MULTIPLES.length];
        for (int i = 0; i < steps.length; i++) steps[i] = LR * STEP_MULTIPLES[i];
        List<LossMatch.Reading> rows = new ArrayList<>();
        TrainingListener reader = new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer trainer, BatchEvent event) {
                if (event.step() % every != 0) return;
                SurfaceProbe p = SurfaceProbe.at(trainer.model(), trainer.loss(), probe, seed, steps);
                rows.add(new LossMatch.Reading(event.step(), p.alongGradient().baseLoss(), new double[] {p.sharpness(), p.lossRange()}));
            }
        };
        NetTraining run = NetTraining.fit(model, OptimizerAssembly.of("sgd", Map.of("lr", LR)), data.train(), BATCH, epochs, seed, reader);
        return new Readings(rows, run.evaluate(data.train()).loss());
    }

    private static double finalLoss(List<Readings> runs) {
        return runs.stream().mapToDouble(Readings::finalLoss).average().orElseThrow();
    }

    private static double mean(List<Readings> runs, int column) {
        double sum = 0;
        int n = 0;
        for (Readings r : runs) {
            for (LossMatch.Reading row : r.rows()) {
                sum += row.values()[column];
                n++;
            }
        }
        return sum / Math.max(1, n);
    }

    private static LineChart chart(String anchor, String title, String description, String yLabel, List<Readings> plain, List<Readings> bn,
                                   List<Readings> he, int column) {
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < plain.size(); s++) {
            series.add(Series.line("plain default init, seed " + (s + 1), steps(plain.get(s)), column(plain.get(s), column)));
            series.add(Series.dashed("batch norm, seed " + (s + 1), steps(bn.get(s)), column(bn.get(s), column)));
            series.add(Series.points("plain He init, seed " + (s + 1), steps(he.get(s)), column(he.get(s), column)));
        }
        return new LineChart(anchor, title, description, "step", yLabel, true, series);
    }

    private static double[] steps(Readings r) {
        return r.rows().stream().mapToDouble(row -> row.step()).toArray();
    }

    private static double[] column(Readings r, int c) {
        return r.rows().stream().mapToDouble(row -> row.values()[c]).toArray();
    }
}
