package dev.ravine.lab.labs;

import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.InstrumentPanel;
import dev.ravine.doctor.instrument.StepReading;
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
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 8, note 000's setting: a deep ReLU + BatchNorm net trained long with Adam on a small training set, at lr 1e-3
 * and at lr 1e-4. Counts late blow-ups (a batch loss far above the recent median once the run had settled) and reads
 * the mechanism with the doctor's instruments: the gradient scale coefficient per layer and Adam's effective step sizes
 * lr / (sqrt(v_hat) + eps).
 */
public final class AdamBlowUpLab implements Lab {
    private static final int WIDTH = 32, HIDDEN = 8, BATCH = 32, EVERY = 5;
    private static final double HIGH_LR = 1e-3, LOW_LR = 1e-4, EPS = 1e-8;
    /** A blow-up: after the first quarter of the run, a batch loss above 10x the median of the 100 before it and above 0.5 nats. */
    private static final double SPIKE_FACTOR = 10, SPIKE_FLOOR = 0.5;
    private static final int WINDOW = 100;

    @Override
    public String name() {
        return "adam-blow-up";
    }

    @Override
    public int number() {
        return 8;
    }

    @Override
    public String title() {
        return "Adam's late blow-up";
    }

    @Override
    public String note() {
        return "000_d7cd131fdd3359c7.txt";
    }

    @Override
    public String claim() {
        return "A deep ReLU network with batch normalization trained with Adam (lr 1e-3) for a long time trains well and then, late in "
                + "the run, its gradients and loss suddenly blow up, although Adam's update m/sqrt(v) looks bounded. The proposed "
                + "mechanism: once the loss is small the gradients on many weights become tiny, Adam's second-moment estimate v decays "
                + "and its effective step lr/sqrt(v) on those weights grows, while through ReLU + BatchNorm the gradient of early layers "
                + "is a product of per-layer factors (the gradient scale coefficient of 'The exploding gradient problem demystified' "
                + "measures how much a layer's relative change is amplified at the output); a gradient arriving on a quiet direction "
                + "then takes a huge step. Lowering the learning rate (1e-4) removes the blow-up.";
    }

    @Override
    public String method() {
        return "A classifier of " + HIDDEN + " hidden layers of width " + WIDTH + " (Linear, BatchNorm, ReLU; torch's default init) on a small "
                + "training set of 14 x 14 digit images (quick: 256, full: 512 samples), so that it can be fitted almost exactly, trained "
                + "with Ravine's Adam (betas 0.9, 0.999, eps 1e-8), batch " + BATCH + ", for quick 300 / full 3000 steps, at lr 1e-3 and "
                + "at lr 1e-4, from the same seeds (quick 3, full 10). The doctor's InstrumentPanel reads every " + EVERY + " steps: the "
                + "gradient scale coefficient of every layer output (the largest over the layers is shown) and the distribution of "
                + "Adam's effective steps lr/(sqrt(v_hat)+eps) over 4096 sampled weights (the 99th percentile is shown). A blow-up is "
                + "a step after the first quarter of the run whose batch loss exceeds " + (int) SPIKE_FACTOR + " times the median of the "
                + WINDOW + " steps before it and " + SPIKE_FLOOR + " nats, or a step the optimizer refused for non-finite gradients.";
    }

    @Override
    public String decisionRule() {
        return "Held if (1) at lr 1e-3 at least half of the seeds' runs blow up, (2) at lr 1e-4 none does, and (3) in the runs that blew "
                + "up, the 99th-percentile effective step in the reading before the first blow-up is at least 3 times its value at "
                + "the end of the first quarter of the run (v decayed). Otherwise it did not hold.";
    }

    /** One run's readings and where it first blew up (-1: never). */
    private record Run(double[] steps, double[] losses, double[] gscSteps, double[] gsc, double[] stepP99, int blowUpStep, int spikes, double stepGrowth,
                       double medianGrowth, double p99Settled, double gscAtBlowUp, double gscSettled) {}

    @Override
    public LabResult run(LabSettings settings) {
        List<Long> seeds = settings.seeds();
        int steps = settings.pick(300, 3000);
        DigitData data = DigitData.load(settings.pick(256, 512), 10);
        List<Figure> figures = new ArrayList<>();
        List<Run> high = new ArrayList<>(), low = new ArrayList<>();
        for (long seed : seeds) {
            high.add(train(data, HIGH_LR, steps, seed));
            low.add(train(data, LOW_LR, steps, seed));
        }
        long highBlown = high.stream().filter(r -> r.blowUpStep >= 0).count(), lowBlown = low.stream().filter(r -> r.blowUpStep >= 0).count();
        double[] growth = high.stream().filter(r -> r.blowUpStep >= 0).mapToDouble(Run::stepGrowth).toArray();
        double minGrowth = growth.length == 0 ? Double.NaN : Arrays.stream(growth).min().getAsDouble();
        figures.add(new Figure("high_lr.blown_up", "lr 1e-3: runs that blew up, of " + seeds.size(), highBlown, "runs"));
        figures.add(new Figure("low_lr.blown_up", "lr 1e-4: runs that blew up, of " + seeds.size(), lowBlown, "runs"));
        figures.add(new Figure("high_lr.first_blow_up_step", "lr 1e-3: earliest blow-up step (NaN: none)",
                high.stream().filter(r -> r.blowUpStep >= 0).mapToDouble(Run::blowUpStep).min().orElse(Double.NaN), ""));
        figures.add(new Figure("high_lr.spike_steps", "lr 1e-3: steps that met the blow-up criterion, mean per run (after the first, the "
                + "run went on training)", high.stream().mapToDouble(Run::spikes).average().orElse(Double.NaN), ""));
        figures.add(new Figure("high_lr.step_growth_min", "lr 1e-3, runs that blew up: the smallest growth of the 99th-percentile effective "
                + "step from the first quarter to just before the blow-up", minGrowth, "x"));
        figures.add(new Figure("high_lr.median_step_growth", "lr 1e-3, runs that blew up: mean growth of the median effective step from "
                + "the first quarter to just before the blow-up (shown, not in the rule)",
                high.stream().filter(r -> r.blowUpStep >= 0).mapToDouble(Run::medianGrowth).average().orElse(Double.NaN), "x"));
        figures.add(new Figure("high_lr.p99_over_ceiling", "lr 1e-3: the 99th-percentile effective step at the end of the first quarter over "
                + "its ceiling lr/eps (mean over seeds)", high.stream().mapToDouble(Run::p99Settled).average().orElse(Double.NaN), ""));
        figures.add(new Figure("high_lr.gsc_at_blow_up", "lr 1e-3, runs that blew up: mean largest GSC in the reading before the blow-up",
                high.stream().filter(r -> r.blowUpStep >= 0).mapToDouble(Run::gscAtBlowUp).average().orElse(Double.NaN), ""));
        figures.add(new Figure("high_lr.gsc_settled", "lr 1e-3: mean largest GSC at the end of the first quarter",
                high.stream().mapToDouble(Run::gscSettled).average().orElse(Double.NaN), ""));
        figures.add(new Figure("low_lr.gsc_settled", "lr 1e-4: mean largest GSC at the end of the first quarter",
                low.stream().mapToDouble(Run::gscSettled).average().orElse(Double.NaN), ""));
        figures.add(new Figure("high_lr.final_loss", "lr 1e-3: mean batch loss over the last 50 steps", tailLoss(high), "nats"));
        figures.add(new Figure("low_lr.final_loss", "lr 1e-4: mean batch loss over the last 50 steps", tailLoss(low), "nats"));
        boolean often = highBlown * 2 >= seeds.size(), fixed = lowBlown == 0, mechanism = growth.length > 0 && minGrowth >= 3;
        Verdict verdict = Verdict.of(often && fixed && mechanism, String.format(Locale.ROOT,
                        "at lr 1e-3 %d of %d runs blew up (the rule asks at least half), at lr 1e-4 %d (the rule asks none); %s",
                        highBlown, seeds.size(), lowBlown, Double.isFinite(minGrowth)
                                ? String.format(Locale.ROOT, "the 99th-percentile effective step grew at least %.2fx before a blow-up (the "
                                        + "rule asks >= 3x)", minGrowth)
                                : "with no blow-up there is no growth of the effective step before one to measure"),
                Double.isFinite(minGrowth) ? new String[] {"high_lr.blown_up", "low_lr.blown_up", "high_lr.step_growth_min"}
                        : new String[] {"high_lr.blown_up", "low_lr.blown_up"}); // no blow-up: no growth to measure, the counts decide
        Run shown = high.stream().filter(r -> r.blowUpStep >= 0).findFirst().orElse(high.getFirst());
        int shownIndex = high.indexOf(shown);
        Run calm = low.get(shownIndex);
        long shownSeed = seeds.get(shownIndex);
        List<Chart> charts = List.of(
                new LineChart("loss", "Batch loss by step, seed " + shownSeed,
                        "Every step's batch loss at lr 1e-3 and lr 1e-4 from the same initialization and batches (log scale); the seed "
                                + "shown is the first whose lr 1e-3 run blew up, if any did.", "step", "batch loss", true,
                        List.of(Series.line("Adam lr 1e-3", shown.steps, shown.losses), Series.line("Adam lr 1e-4", calm.steps, calm.losses))),
                new LineChart("effective-steps", "Adam's effective step size, 99th percentile, seed " + shownSeed,
                        "lr/(sqrt(v_hat)+eps) over 4096 sampled weights, the 99th percentile, every " + EVERY + " steps (log scale): it "
                                + "grows as v decays on weights whose gradients have gone quiet.", "step", "effective step", true,
                        List.of(Series.line("Adam lr 1e-3", shown.gscSteps, shown.stepP99), Series.line("Adam lr 1e-4", calm.gscSteps, calm.stepP99))),
                new LineChart("gsc", "Largest gradient scale coefficient over the layers, seed " + shownSeed,
                        "The doctor's GSC, ||dE/df_l|| ||f_l|| / (||dE/df_L|| ||f_L||), the largest over the layer outputs, every " + EVERY
                                + " steps (log scale): how much a relative change of an early layer is amplified at the output.", "step", "GSC",
                        true, List.of(Series.line("Adam lr 1e-3", shown.gscSteps, shown.gsc), Series.line("Adam lr 1e-4", calm.gscSteps, calm.gsc))));
        double spikeSteps = figureValue(figures, "high_lr.spike_steps");
        String spikes = String.format(Locale.ROOT, "At lr 1e-3, %d of %d runs met the blow-up criterion, at lr 1e-4 %d; at lr 1e-3 %.1f steps "
                        + "per run met it, and the runs ended at a mean batch loss of %.3g (lr 1e-4: %.3g)%s. ", highBlown, seeds.size(), lowBlown,
                spikeSteps, tailLoss(high), tailLoss(low), spikeSteps > 1 && tailLoss(high) < 0.5
                        ? ": recurring spikes that the runs recovered from, not one divergence" : "");
        String mechanismText = highBlown == 0
                ? String.format(Locale.ROOT, "No run spiked in its %d steps, so there is no reading before a spike to test the note's "
                        + "mechanism on. ", steps)
                : String.format(Locale.ROOT, "The note's proposed mechanism predicts that Adam's effective steps grow before a spike, as "
                        + "v_hat decays on weights whose gradients went quiet; measured here, %s: the 99th-percentile effective step grew at "
                        + "least %.2fx and the median %.2fx from the end of the first quarter to the reading before the first spike, and the "
                        + "largest gradient scale coefficient was %.3g there against %.3g at the end of the first quarter. ",
                mechanism ? "they did" : "they did not", minGrowth, figureValue(figures, "high_lr.median_step_growth"),
                figureValue(figures, "high_lr.gsc_at_blow_up"), figureValue(figures, "high_lr.gsc_settled"));
        String ceiling = String.format(Locale.ROOT, "The 99th percentile is a poor witness on this net: at the end of the first quarter it "
                + "was already %.2f of its ceiling lr/eps, set by weights whose gradient is exactly zero (behind batch norm a weight on a "
                + "constant input pixel gets none, since the normalized layer's gradient sums to zero over the batch), which never move "
                + "because their momentum is zero too. Data: %s.", figureValue(figures, "high_lr.p99_over_ceiling"), data.source());
        String reading = spikes + mechanismText + ceiling;
        return new LabResult(figures, verdict, charts, reading);
    }

    private static Run train(DigitData data, double lr, int steps, long seed) {
        Sequential model = new MlpSpec(WIDTH, HIDDEN, Activation.Kind.RELU, Init::pytorchDefaultWeight, true, false)
                .build(DigitData.FEATURES, DigitData.CLASSES, new Rng(seed));
        InstrumentPanel panel = new InstrumentPanel(new InstrumentOptions(EVERY, 20));
        int perEpoch = (data.train().size() + BATCH - 1) / BATCH;
        NetTraining.fit(model, OptimizerAssembly.of("adam", Map.of("lr", lr, "eps", EPS)), data.train(), BATCH, (steps + perEpoch - 1) / perEpoch, seed, panel);
        List<StepReading> history = panel.history();
        int n = Math.min(steps, history.size());
        double[] x = new double[n], loss = new double[n];
        List<double[]> full = new ArrayList<>(); // step, largest GSC, effective step p99, median
        for (int i = 0; i < n; i++) {
            StepReading r = history.get(i);
            x[i] = r.step();
            loss[i] = r.loss();
            if (r.full() && r.adaptive() != null) {
                double gsc = r.activations().stream().mapToDouble(ActivationReading::gsc).filter(Double::isFinite).max().orElse(Double.NaN);
                full.add(new double[] {r.step(), gsc, r.adaptive().stepP99(), r.adaptive().stepMedian()});
            }
        }
        int blowUp = -1, spikes = 0;
        for (int i = Math.max(WINDOW, n / 4); i < n; i++) {
            double median = median(Arrays.copyOfRange(loss, i - WINDOW, i));
            if (!Double.isFinite(loss[i]) || (loss[i] > SPIKE_FACTOR * median && loss[i] > SPIKE_FLOOR)) {
                spikes++;
                if (blowUp < 0) blowUp = (int) x[i];
            }
        }
        if (blowUp < 0 && n < steps) blowUp = n + 1; // the trainer stopped early: the optimizer refused a non-finite step
        double[] fx = new double[full.size()], gsc = new double[full.size()], p99 = new double[full.size()], median = new double[full.size()];
        for (int i = 0; i < full.size(); i++) {
            fx[i] = full.get(i)[0];
            gsc[i] = full.get(i)[1];
            p99[i] = full.get(i)[2];
            median[i] = full.get(i)[3];
        }
        int settled = readingAtOrBefore(fx, steps / 4.0);
        int before = blowUp < 0 ? -1 : readingAtOrBefore(fx, blowUp - 1);
        double growth = before < 0 || settled < 0 ? Double.NaN : p99[before] / p99[settled];
        double medianGrowth = before < 0 || settled < 0 ? Double.NaN : median[before] / median[settled];
        return new Run(x, loss, fx, gsc, p99, blowUp, spikes, growth, medianGrowth, settled < 0 ? Double.NaN : p99[settled] / (lr / EPS),
                before < 0 ? Double.NaN : gsc[before], settled < 0 ? Double.NaN : gsc[settled]);
    }

    private static int readingAtOrBefore(double[] steps, double step) {
        int found = -1;
        for (int i = 0; i < steps.length; i++) if (steps[i] <= step) found = i;
        return found;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double tailLoss(List<Run> runs) {
        double sum = 0;
        int count = 0;
        for (Run r : runs) {
            for (int i = Math.max(0, r.losses.length - 50); i < r.losses.length; i++) {
                sum += r.losses[i];
                count++;
            }
        }
        return sum / Math.max(1, count);
    }

    private static double figureValue(List<Figure> figures, String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().value();
    }
}
