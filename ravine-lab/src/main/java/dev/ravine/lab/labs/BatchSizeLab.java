package dev.ravine.lab.labs;

import dev.ravine.data.Batch;
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
import dev.ravine.lab.net.SurfaceProbe;
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
 * Lab 5: what the batch size costs and buys on this machine. Time per update and per epoch against the batch size (the
 * trainer's own step timing), then, at one learning rate and the same number of epochs, the test accuracy and the
 * sharpness at the end of training against the batch size.
 */
public final class BatchSizeLab implements Lab {
    private static final int WIDTH = 64, HIDDEN = 2;
    private static final double LR = 0.05;
    private static final MlpSpec NET = new MlpSpec(WIDTH, HIDDEN, Activation.Kind.RELU, (w, r) -> Init.kaimingNormal(w, r, 0, true, "relu"),
            false, false);

    @Override
    public String name() {
        return "batch-size";
    }

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String title() {
        return "Batch size: speed, accuracy and flat minima";
    }

    @Override
    public String note() {
        return "001_e82c585286b62341.txt";
    }

    @Override
    public String claim() {
        return "With parallel hardware a larger batch does not take proportionally longer per update, so an epoch of large "
                + "batches takes less time than an epoch of small ones (until the parallelism runs out). But the small batch's noisy "
                + "gradients help: trained the same way, small batches reach a better test accuracy, and the explanation offered is "
                + "that large batches tend to settle in sharp, narrow minima ('canyons') and small batches in flat, wide ones "
                + "('basins'), whose loss changes less when the test data shifts the surface a little.";
    }

    @Override
    public String method() {
        return "A ReLU classifier with " + HIDDEN + " hidden layers of width " + WIDTH + " (He init) on 14 x 14 digit images. Timing: "
                + "after one untimed warm-up pass over every batch size, Ravine's Trainer runs four epochs of (up to) 32 updates at each "
                + "batch size (quick: 1, 16, 256; full: 1, 4, 16, 64, 256, 1024) and the time per update is the median over epochs 2 "
                + "to 4 of the epoch's step time (forward, backward, SGD step, the trainer's own clock) over its updates; the time per epoch is that times the updates an epoch of the training set needs. The "
                + "machine's cores are shared with other work, so the timings carry its noise. Accuracy and sharpness: SGD lr " + LR
                + " (no momentum), the same number of epochs for every batch size (quick: 3 epochs of 500 samples, batch 8 and 128; "
                + "full: 10 epochs of 2000 samples, batch 4, 16, 64, 256, 1000), seeds quick 3 / full 10; test accuracy on held-out "
                + "samples (quick 500, full 2000); sharpness is the Hessian's top eigenvalue of the training loss on a fixed batch of "
                + "512 training samples at the end of training (" + SurfaceProbe.LANCZOS_STEPS + " Lanczos steps on exact "
                + "Hessian-vector products, the doctor's curvature tools).";
    }

    @Override
    public String decisionRule() {
        return "Held if (1) an epoch at the largest timed batch takes less time than an epoch at batch 1, (2) the smallest training "
                + "batch has a higher mean test accuracy than the largest, and (3) the smallest training batch ends with a lower mean "
                + "sharpness than the largest. Otherwise it did not hold.";
    }

    @Override
    public LabResult run(LabSettings settings) {
        List<Long> seeds = settings.seeds();
        DigitData data = DigitData.load(settings.pick(500, 2000), settings.pick(500, 2000));
        int[] timed = settings.quickRun() ? new int[] {1, 16, 256} : new int[] {1, 4, 16, 64, 256, 1024};
        int[] trained = settings.quickRun() ? new int[] {8, 128} : new int[] {4, 16, 64, 256, 1000};
        int epochs = settings.pick(3, 10);
        List<Figure> figures = new ArrayList<>();
        double[] tx = new double[timed.length], perUpdate = new double[timed.length], perEpoch = new double[timed.length];
        for (int b : timed) secondsPerUpdate(data.train(), b); // warm-up: every batch size's code paths compiled before any is timed
        for (int i = 0; i < timed.length; i++) {
            tx[i] = timed[i];
            perUpdate[i] = secondsPerUpdate(data.train(), timed[i]);
            perEpoch[i] = perUpdate[i] * Math.ceil(data.train().size() / (double) timed[i]);
            figures.add(new Figure("batch_" + timed[i] + ".ms_per_update", "batch " + timed[i] + ": time per update", 1e3 * perUpdate[i], "ms"));
            figures.add(new Figure("batch_" + timed[i] + ".ms_per_epoch", "batch " + timed[i] + ": time per epoch of " + data.train().size()
                    + " samples", 1e3 * perEpoch[i], "ms"));
        }
        Batch probe = NetTraining.batch(data.train(), 512);
        double[] gx = new double[trained.length], accuracy = new double[trained.length], sharpness = new double[trained.length];
        for (int i = 0; i < trained.length; i++) {
            gx[i] = trained[i];
            for (long seed : seeds) {
                Sequential model = NET.build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
                NetTraining run = NetTraining.fit(model, OptimizerAssembly.of("sgd", Map.of("lr", LR)), data.train(), trained[i], epochs, seed);
                accuracy[i] += run.evaluate(data.test()).accuracy() / seeds.size();
                sharpness[i] += SurfaceProbe.at(model, new CrossEntropyLoss(), probe, seed).sharpness() / seeds.size();
            }
            figures.add(new Figure("batch_" + trained[i] + ".test_accuracy", "trained at batch " + trained[i] + ": test accuracy (mean over "
                    + seeds.size() + " seeds)", 100 * accuracy[i], "%"));
            figures.add(new Figure("batch_" + trained[i] + ".sharpness", "trained at batch " + trained[i] + ": sharpness at the end (mean)",
                    sharpness[i], ""));
        }
        int small = trained[0], large = trained[trained.length - 1], last = trained.length - 1;
        boolean faster = perEpoch[timed.length - 1] < perEpoch[0];
        boolean generalizes = accuracy[0] > accuracy[last], flatter = sharpness[0] < sharpness[last];
        Verdict verdict = Verdict.of(faster && generalizes && flatter, String.format(Locale.ROOT,
                        "an epoch took %.1f ms at batch %d against %.1f ms at batch 1; trained at batch %d the test accuracy was %.2f%% and "
                                + "the sharpness %.3g, at batch %d %.2f%% and %.3g (the rule asks a faster epoch, a higher accuracy and a lower "
                                + "sharpness for the small batch)", 1e3 * perEpoch[timed.length - 1], timed[timed.length - 1], 1e3 * perEpoch[0],
                        small, 100 * accuracy[0], sharpness[0], large, 100 * accuracy[last], sharpness[last]),
                "batch_1.ms_per_epoch", "batch_" + timed[timed.length - 1] + ".ms_per_epoch", "batch_" + small + ".test_accuracy",
                "batch_" + large + ".test_accuracy", "batch_" + small + ".sharpness", "batch_" + large + ".sharpness");
        double[] perUpdateMs = scaled(perUpdate, 1e3), perEpochMs = scaled(perEpoch, 1e3), accuracyPercent = scaled(accuracy, 100);
        List<Chart> charts = List.of(
                new LineChart("time", "Time per update and per epoch against the batch size",
                        "The trainer's step time (forward, backward, update) per update and per epoch of the training set, in ms, at each "
                                + "batch size, log scale (the x axis is the batch size).", "batch size", "ms", true,
                        List.of(Series.line("per update", tx, perUpdateMs), Series.line("per epoch", tx, perEpochMs))),
                new LineChart("accuracy", "Test accuracy against the training batch size",
                        "Mean test accuracy over seeds after the same number of epochs at lr " + LR + ".", "batch size", "test accuracy (%)", false,
                        List.of(Series.line("test accuracy", gx, accuracyPercent))),
                new LineChart("sharpness", "Sharpness at the end of training against the batch size",
                        "Mean top Hessian eigenvalue of the training loss at the end of training (log scale).", "batch size", "sharpness", true,
                        List.of(Series.line("sharpness", gx, sharpness))));
        String reading = String.format(Locale.ROOT, "An update at batch %d took %.2fx the time of an update at batch 1 for %dx the samples, "
                        + "so an epoch took %.1f ms instead of %.1f ms: per-update overheads and the matrix kernels' parallelism make large "
                        + "batches cheap per sample on this machine's cores. In training, the same number of epochs at one learning rate "
                        + "gives the small batch %.0fx as many updates as the large one, which is part of what the comparison measures (it is "
                        + "the note's comparison); the small batch reached %.2f%% test accuracy against %.2f%%, and a sharpness of %.3g against "
                        + "%.3g. Data: %s.",
                timed[timed.length - 1], perUpdate[timed.length - 1] / perUpdate[0], timed[timed.length - 1], 1e3 * perEpoch[timed.length - 1],
                1e3 * perEpoch[0], (double) large / small, 100 * accuracy[0], 100 * accuracy[last], sharpness[0], sharpness[last], data.source());
        return new LabResult(figures, verdict, charts, reading);
    }

    /**
     * The median over epochs 2 to 4 of four epochs of (up to) 32 updates: an epoch's step time over its updates. The first
     * epoch is left out (it runs while the JIT compiles), and the median keeps a burst of other work on the shared cores
     * out of the figure.
     */
    private static double secondsPerUpdate(Dataset train, int batch) {
        int[] indices = new int[Math.min(train.size(), 32 * batch)];
        for (int i = 0; i < indices.length; i++) indices[i] = i;
        Dataset slice = train.subset(indices);
        Sequential model = NET.build(DigitData.FEATURES, DigitData.CLASSES, new Rng(1));
        NetTraining run = NetTraining.fit(model, OptimizerAssembly.of("sgd", Map.of("lr", LR)), slice, batch, 4, 1);
        double updates = Math.ceil(slice.size() / (double) batch);
        double[] perUpdate = run.result().history().subList(1, 4).stream().mapToDouble(e -> e.epochSeconds() / updates).sorted().toArray();
        return perUpdate[1];
    }

    private static double[] scaled(double[] v, double by) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * by;
        return out;
    }
}
