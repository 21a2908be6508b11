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
import dev.ravine.lab.net.MlpSpec;
import dev.ravine.lab.net.NetTraining;
import dev.ravine.lab.net.SurfaceProbe;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
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
 * the gradient over a range of step sizes.
 */
public final class BatchNormSmoothnessLab implements Lab {
    private static final int WIDTH = 32, HIDDEN = 6, BATCH = 32;
    private static final double LR = 0.05;
    /** The step sizes along -g, as multiples of the learning rate. */
    private static final double[] STEP_MULTIPLES = {0.25, 0.5, 1, 2, 4};
    private static final Initializer DEFAULT_INIT = Init::pytorchDefaultWeight;
    /** The third net, shown for context: plain, with He's initialization, so that its signal does not shrink with depth. */
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
                + "3 epochs; full: 1000 samples, 5 epochs), once plain (Linear, ReLU) and once with batch norm (Linear, BatchNorm, "
                + "ReLU), torch's default init (and, shown for context but not in the rule, the plain net with He's init), the "
                + "same seeds (quick 3, full 10), trained with Ravine's SGD lr " + LR + " (no momentum), "
                + "batch " + BATCH + ". Every 8 steps (quick) / 16 steps (full), on a fixed batch of 256 training samples in training "
                + "mode, the doctor's curvature tools read the sharpness (the Hessian's top eigenvalue: " + SurfaceProbe.LANCZOS_STEPS
                + " Lanczos steps on exact Hessian-vector products) and the loss at theta - t g for t = lr x (0.25, 0.5, 1, 2, 4); "
                + "the loss range is the largest of those losses (and the loss at theta) minus the smallest. The figures average "
                + "every reading of every seed.";
    }

    @Override
    public String decisionRule() {
        return "Held if, averaged over the readings and seeds, the batch-norm net has both a lower sharpness and a smaller loss range "
                + "along the gradient than the plain net. Otherwise it did not hold.";
    }

    /** The readings of one run: step, sharpness, loss range; and its final training loss. */
    private record Readings(List<double[]> rows, double finalLoss) {}

    @Override
    public LabResult run(LabSettings settings) {
        List<Long> seeds = settings.seeds();
        int epochs = settings.pick(3, 5), every = settings.pick(8, 16);
        DigitData data = DigitData.load(settings.pick(256, 1000), 10);
        Batch probe = NetTraining.batch(data.train(), 256);
        List<Readings> plain = new ArrayList<>(), bn = new ArrayList<>(), he = new ArrayList<>();
        for (long seed : seeds) {
            plain.add(train(false, DEFAULT_INIT, data, probe, epochs, every, seed));
            bn.add(train(true, DEFAULT_INIT, data, probe, epochs, every, seed));
            he.add(train(false, HE, data, probe, epochs, every, seed));
        }
        double heSharp = mean(he, 1), heRange = mean(he, 2);
        double plainSharp = mean(plain, 1), bnSharp = mean(bn, 1), plainRange = mean(plain, 2), bnRange = mean(bn, 2);
        List<Figure> figures = List.of(
                new Figure("plain.sharpness", "plain: mean sharpness (top Hessian eigenvalue)", plainSharp, ""),
                new Figure("batchnorm.sharpness", "batch norm: mean sharpness (top Hessian eigenvalue)", bnSharp, ""),
                new Figure("plain.loss_range", "plain: mean loss range along the gradient", plainRange, "nats"),
                new Figure("batchnorm.loss_range", "batch norm: mean loss range along the gradient", bnRange, "nats"),
                new Figure("plain.final_loss", "plain: training loss after training (mean over seeds)",
                        plain.stream().mapToDouble(Readings::finalLoss).average().orElseThrow(), "nats"),
                new Figure("batchnorm.final_loss", "batch norm: training loss after training (mean over seeds)",
                        bn.stream().mapToDouble(Readings::finalLoss).average().orElseThrow(), "nats"),
                new Figure("plain_he.sharpness", "plain with He init (shown, not in the rule): mean sharpness", heSharp, ""),
                new Figure("plain_he.loss_range", "plain with He init (shown, not in the rule): mean loss range along the gradient", heRange, "nats"),
                new Figure("plain_he.final_loss", "plain with He init: training loss after training (mean over seeds)",
                        he.stream().mapToDouble(Readings::finalLoss).average().orElseThrow(), "nats"),
                new Figure("stability_threshold", "SGD's stability threshold 2/lr", 2 / LR, ""));
        boolean held = bnSharp < plainSharp && bnRange < plainRange;
        Verdict verdict = Verdict.of(held, String.format(Locale.ROOT, "mean sharpness %.3g with batch norm against %.3g without; mean loss "
                        + "range along the gradient %.4g against %.4g (the rule asks both lower with batch norm)", bnSharp, plainSharp, bnRange, plainRange),
                "plain.sharpness", "batchnorm.sharpness", "plain.loss_range", "batchnorm.loss_range");
        List<Chart> charts = List.of(chart("sharpness", "Sharpness during training", "The top Hessian eigenvalue on the fixed batch at "
                        + "each reading, one line per seed and net (log scale).", "sharpness", plain, bn, he, 1),
                chart("loss-range", "Loss range along the gradient during training", "max - min of the loss at theta - t g, t = lr x (0, "
                        + "0.25, 0.5, 1, 2, 4), at each reading, one line per seed and net (log scale).", "loss range", plain, bn, he, 2));
        String reading = String.format(Locale.ROOT, "Averaged over the run, the plain net's top Hessian eigenvalue was %.3g and the "
                        + "batch-norm net's %.3g (SGD at lr %s is stable below 2/lr = %.0f); along the gradient, over steps up to four "
                        + "learning rates, the plain net's loss spread over %.4g nats and the batch-norm net's over %.4g. Sharpness here is "
                        + "measured in the weights' own coordinates: batch norm makes each layer's output independent of its weights' "
                        + "scale, which also changes what one unit of curvature means, so the loss range along the step the optimizer "
                        + "actually takes is the more direct reading of smoothness. Both readings depend on where the net is: with torch's "
                        + "default init the plain net's signal shrinks layer by layer, it trained to a loss of %.3g against batch norm's %.3g, "
                        + "and a net that barely moves sits on a flat part of the surface. The plain net with He's init, which does train "
                        + "(loss %.3g), had a mean sharpness of %.3g and a loss range of %.4g. Data: %s.",
                plainSharp, bnSharp, LR, 2 / LR, plainRange, bnRange, figures.get(4).value(), figures.get(5).value(), figures.get(8).value(),
                heSharp, heRange, data.source());
        return new LabResult(figures, verdict, charts, reading);
    }

    private static Readings train(boolean batchNorm, Initializer init, DigitData data, Batch probe, int epochs, int every, long seed) {
        Sequential model = new MlpSpec(WIDTH, HIDDEN, Activation.Kind.RELU, init, batchNorm, false)
                .build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
        double[] steps = new double[STEP_MULTIPLES.length];
        for (int i = 0; i < steps.length; i++) steps[i] = LR * STEP_MULTIPLES[i];
        List<double[]> rows = new ArrayList<>();
        TrainingListener reader = new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer trainer, BatchEvent event) {
                if (event.step() % every != 0) return;
                SurfaceProbe p = SurfaceProbe.at(trainer.model(), trainer.loss(), probe, seed, steps);
                rows.add(new double[] {event.step(), p.sharpness(), p.lossRange()});
            }
        };
        NetTraining run = NetTraining.fit(model, OptimizerAssembly.of("sgd", Map.of("lr", LR)), data.train(), BATCH, epochs, seed, reader);
        return new Readings(rows, run.evaluate(data.train()).loss());
    }

    private static double mean(List<Readings> runs, int column) {
        double sum = 0;
        int n = 0;
        for (Readings r : runs) {
            for (double[] row : r.rows) {
                sum += row[column];
                n++;
            }
        }
        return sum / Math.max(1, n);
    }

    private static LineChart chart(String anchor, String title, String description, String yLabel, List<Readings> plain, List<Readings> bn,
                                   List<Readings> he, int column) {
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < plain.size(); s++) {
            series.add(Series.line("plain, seed " + (s + 1), column(plain.get(s), 0), column(plain.get(s), column)));
            series.add(Series.dashed("batch norm, seed " + (s + 1), column(bn.get(s), 0), column(bn.get(s), column)));
            series.add(Series.points("plain He init, seed " + (s + 1), column(he.get(s), 0), column(he.get(s), column)));
        }
        return new LineChart(anchor, title, description, "step", yLabel, true, series);
    }

    private static double[] column(Readings r, int c) {
        return r.rows.stream().mapToDouble(row -> row[c]).toArray();
    }
}
