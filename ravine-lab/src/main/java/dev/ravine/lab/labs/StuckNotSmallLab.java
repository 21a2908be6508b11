package dev.ravine.lab.labs;

import dev.ravine.autograd.Autograd;
import dev.ravine.doctor.detect.PlateauClassifier;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 3: when the training loss stops falling, the gradient is usually not small: full-batch gradient descent on a
 * small tanh net stalls while its gradient norm stays near its starting size, and the doctor's plateau classifier
 * finds no critical point there.
 */
public final class StuckNotSmallLab implements Lab {
    private static final int SAMPLES = 200, FEATURES = 10, HIDDEN = 32, WINDOW = 50, RECENT_UPDATES = 20;
    private static final double LR = 0.3;
    /** A window is stuck when the loss fell by less than 1% over its 50 steps. */
    private static final double STUCK_DECREASE = 0.01;
    /** Not small: above 1e-2 of the initial gradient norm, ten times the doctor's critical-point tolerance (1e-3). */
    private static final double NOT_SMALL = 1e-2;

    @Override
    public String name() {
        return "stuck-not-small-gradient";
    }

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String title() {
        return "Stuck is not a small gradient";
    }

    @Override
    public String note() {
        return "001_e82c585286b62341.txt";
    }

    @Override
    public String claim() {
        return "When the training loss stops going down, it is tempting to say the run is stuck at a critical point (a local minimum "
                + "or a saddle), where the gradient is zero. Check the gradient's norm first: often it is not small at all. The "
                + "parameters are bouncing between the walls of a ravine, each step overshooting the valley floor, so the loss "
                + "does not fall although the gradient is large. Gradient descent rarely reaches a critical point; the stall has "
                + "another cause.";
    }

    @Override
    public String method() {
        return "A 10-32-32-1 tanh network (Ravine's Linear and tanh, torch's default initialization) fits y = sin(x·w) on 200 "
                + "Gaussian inputs with mean squared error, trained by full-batch gradient descent (Ravine's sgd, lr 0.3, no "
                + "momentum) for 600 steps (quick) or 2000 (full); each seed draws its own data and initial weights. The run is cut "
                + "into windows of 50 steps; a window is stuck when the loss fell by less than 1% over it. For each stuck window the "
                + "mean gradient norm is compared with the gradient norm at the start. At the end of the first stuck window of each "
                + "seed the doctor's plateau classifier (ravine-doctor, PlateauClassifier with its defaults: exact Hessian-vector "
                + "products, power iteration, Lanczos) reads the loss there with the last 20 updates and says what it is: "
                + "saddle_point or local_minimum (gradient below 1e-3 of the start), ravine (updates flip sign along the sharpest "
                + "direction and lr × sharpness > 1) or not_critical.";
    }

    @Override
    public String decisionRule() {
        return "Held if at least 80% of the seeds have a stuck window, in at least 80% of all stuck windows the mean gradient norm is "
                + "above 1e-2 of the initial one (ten times the doctor's critical-point tolerance), and the classifier calls none of "
                + "the first stuck windows a critical point (saddle_point or local_minimum); otherwise it did not hold.";
    }

    private record Window(int start, double decrease, double gradientRatio) {}

    private record SeedRun(double[] loss, double[] gradNorm, List<Window> stuck, String classification, double sharpnessTimesLr) {}

    @Override
    public LabResult run(LabSettings settings) {
        int steps = settings.pick(600, 2000);
        List<SeedRun> runs = new ArrayList<>();
        for (long seed : settings.seeds()) runs.add(train(seed, steps));
        int seeds = runs.size(), seedsStuck = 0, windows = 0, windowsNotSmall = 0, critical = 0, ravine = 0;
        double minRatio = Double.POSITIVE_INFINITY, ratioSum = 0;
        for (SeedRun r : runs) {
            if (!r.stuck().isEmpty()) seedsStuck++;
            for (Window w : r.stuck()) {
                windows++;
                ratioSum += w.gradientRatio();
                minRatio = Math.min(minRatio, w.gradientRatio());
                if (w.gradientRatio() > NOT_SMALL) windowsNotSmall++;
            }
            if (r.classification().equals("saddle_point") || r.classification().equals("local_minimum")) critical++;
            if (r.classification().equals("ravine")) ravine++;
        }
        List<Figure> figures = List.of(
                new Figure("seeds_stuck", "seeds with a stuck window (loss down < 1% in 50 steps)", seedsStuck, "of " + seeds),
                new Figure("stuck_windows", "stuck windows, all seeds", windows, ""),
                new Figure("stuck_windows_not_small", "stuck windows whose mean gradient norm is above 1e-2 of the initial", windowsNotSmall,
                        "of " + windows),
                new Figure("gradient_ratio_mean", "mean gradient norm in a stuck window / initial gradient norm (mean over windows)",
                        windows == 0 ? Double.NaN : ratioSum / windows, "x"),
                new Figure("gradient_ratio_min", "the smallest such ratio", windows == 0 ? Double.NaN : minRatio, "x"),
                new Figure("classified_critical", "first stuck windows the doctor called a critical point", critical, "of " + seedsStuck),
                new Figure("classified_ravine", "first stuck windows the doctor called a ravine", ravine, "of " + seedsStuck));
        boolean held = seedsStuck >= Math.ceil(0.8 * seeds) && windows > 0 && windowsNotSmall >= Math.ceil(0.8 * windows) && critical == 0;
        String because = String.format(Locale.ROOT, "%d of %d seeds stalled; in %d of %d stuck windows the gradient norm stayed above 1e-2 of its "
                        + "start (mean %.2fx, smallest %.3gx); the doctor called %d of the first stuck windows a critical point and %d a ravine",
                seedsStuck, seeds, windowsNotSmall, windows, windows == 0 ? Double.NaN : ratioSum / windows, windows == 0 ? Double.NaN : minRatio,
                critical, ravine);
        Verdict verdict = Verdict.of(held, because, "seeds_stuck", "stuck_windows_not_small", "gradient_ratio_min", "classified_critical");
        String reading = String.format(Locale.ROOT, "The stalls are not critical points: in a stuck window the gradient was on average %.2f times as "
                        + "large as at the start, three orders of magnitude above what the doctor takes for a critical point. Full-batch "
                        + "gradient descent here stalls because its steps are too long for the sharpest curvature: lr × (top Hessian "
                        + "eigenvalue) at the first stall of each seed was %s, and above 1 the gradient-descent factor 1 − lr·λ is negative, "
                        + "so each step overshoots along that direction and the loss oscillates instead of falling. The doctor's classifier "
                        + "also asks that the updates flip sign along that direction in most of the last 20 steps while carrying a tenth of "
                        + "each update; it called %d of %d first stalls a ravine and the rest still moving (not critical). Either way the "
                        + "remedy is a smaller learning rate, momentum or a per-parameter method, not an escape from a saddle.",
                windows == 0 ? Double.NaN : ratioSum / windows, sharpnessList(runs), ravine, seedsStuck);
        return new LabResult(figures, verdict, charts(runs.getFirst(), runs, settings.seeds().getFirst()), reading);
    }

    private static String sharpnessList(List<SeedRun> runs) {
        List<String> parts = new ArrayList<>();
        for (SeedRun r : runs) if (Double.isFinite(r.sharpnessTimesLr())) parts.add(String.format(Locale.ROOT, "%.2f", r.sharpnessTimesLr()));
        return parts.isEmpty() ? "not measured" : String.join(", ", parts);
    }

    private static SeedRun train(long seed, int steps) {
        Rng rng = new Rng(seed);
        float[] x = new float[SAMPLES * FEATURES], w = new float[FEATURES], y = new float[SAMPLES];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int j = 0; j < FEATURES; j++) w[j] = (float) rng.nextGaussian();
        for (int i = 0; i < SAMPLES; i++) {
            double dot = 0;
            for (int j = 0; j < FEATURES; j++) dot += x[i * FEATURES + j] * w[j];
            y[i] = (float) Math.sin(dot);
        }
        Tensor inputs = Tensor.of(x, SAMPLES, FEATURES), targets = Tensor.of(y, SAMPLES, 1);
        Module net = new Sequential(new Linear(FEATURES, HIDDEN, true, rng), new Activation(Activation.Kind.TANH), new Linear(HIDDEN, HIDDEN, true, rng),
                new Activation(Activation.Kind.TANH), new Linear(HIDDEN, 1, true, rng));
        MseLoss mse = new MseLoss();
        List<Tensor> params = net.parameters();
        Optimizer sgd = Optimizers.byName("sgd", Map.of("lr", LR), net.namedParameters());
        double[] loss = new double[steps + 1], grad = new double[steps + 1];
        Deque<double[]> recent = new ArrayDeque<>();
        List<Window> stuck = new ArrayList<>();
        String classification = "no stall";
        double sharpnessTimesLr = Double.NaN;
        for (int t = 0; t <= steps; t++) {
            Tensor l = mse.compute(net.call(inputs), targets);
            loss[t] = l.item();
            List<Tensor> g = Autograd.grad(l, params, null, false);
            double sq = 0;
            for (Tensor gi : g) for (float v : gi.toArray()) sq += (double) v * v;
            grad[t] = Math.sqrt(sq);
            if (t >= WINDOW && t % WINDOW == 0) {
                double decrease = (loss[t - WINDOW] - loss[t]) / loss[t - WINDOW];
                if (decrease < STUCK_DECREASE) {
                    double mean = 0;
                    for (int k = t - WINDOW; k < t; k++) mean += grad[k];
                    stuck.add(new Window(t - WINDOW, decrease, mean / WINDOW / grad[0]));
                    if (stuck.size() == 1) {
                        PlateauClassifier.Classification c = PlateauClassifier.defaults().classify(() -> mse.compute(net.call(inputs), targets),
                                params, grad[0], List.copyOf(recent), new RunFacts(LR, "sgd", false, 0, List.of("linear", "tanh", "linear", "tanh",
                                        "linear"), loss[0]), t);
                        classification = c.kind();
                        sharpnessTimesLr = LR * c.largestEigenvalue();
                    }
                }
            }
            if (t == steps) break;
            for (int i = 0; i < params.size(); i++) params.get(i).setGrad(g.get(i));
            sgd.step();
            recent.addLast(flatten(sgd.lastUpdates(), sgd.parameterNames()));
            if (recent.size() > RECENT_UPDATES) recent.removeFirst();
        }
        return new SeedRun(loss, grad, stuck, classification, sharpnessTimesLr);
    }

    private static double[] flatten(Map<String, float[]> updates, List<String> order) {
        int n = 0;
        for (String name : order) n += updates.get(name).length;
        double[] out = new double[n];
        int k = 0;
        for (String name : order) for (float v : updates.get(name)) out[k++] = v;
        return out;
    }

    private static List<Chart> charts(SeedRun first, List<SeedRun> runs, long firstSeed) {
        int n = first.loss().length;
        double[] steps = new double[n], gradRatio = new double[n];
        for (int t = 0; t < n; t++) {
            steps[t] = t;
            gradRatio[t] = first.gradNorm()[t] / first.gradNorm()[0];
        }
        double[] wx = new double[first.stuck().size()], wy = new double[first.stuck().size()], wg = new double[first.stuck().size()];
        for (int i = 0; i < wx.length; i++) {
            Window w = first.stuck().get(i);
            wx[i] = w.start() + WINDOW / 2.0;
            wy[i] = first.loss()[w.start() + WINDOW / 2];
            wg[i] = w.gradientRatio();
        }
        List<Chart> charts = new ArrayList<>();
        charts.add(new LineChart("loss", "Training loss by step (seed " + firstSeed + ")", "Full-batch loss of gradient descent at lr 0.3; the "
                + "dots mark the middle of each stuck window (loss down by less than 1% over 50 steps).", "step", "loss", true,
                List.of(Series.line("training loss", steps, first.loss()), Series.points("stuck window", wx, wy))));
        double[] critical = new double[n];
        java.util.Arrays.fill(critical, 1e-3);
        charts.add(new LineChart("gradient", "Gradient norm by step, relative to the start (seed " + firstSeed + ")", "‖g_t‖ / ‖g_0‖; dots: the mean "
                + "over each stuck window; dashed: 1e-3, below which the doctor calls a point critical.", "step", "gradient norm / initial", true,
                List.of(Series.line("gradient norm / initial", steps, gradRatio), Series.points("stuck window (mean)", wx, wg),
                        Series.dashed("critical-point tolerance 1e-3", steps, critical))));
        List<Double> dx = new ArrayList<>(), dy = new ArrayList<>();
        for (SeedRun r : runs) {
            for (Window w : r.stuck()) {
                dx.add(100 * w.decrease());
                dy.add(w.gradientRatio());
            }
        }
        if (!dx.isEmpty()) {
            double[] ax = dx.stream().mapToDouble(Double::doubleValue).toArray(), ay = dy.stream().mapToDouble(Double::doubleValue).toArray();
            double[] lineX = {ax.length == 0 ? 0 : java.util.Arrays.stream(ax).min().orElse(0), 1};
            charts.add(new LineChart("windows", "Every stuck window of every seed", "Each dot is one stuck window: how much the loss fell over "
                    + "it (percent; negative: it rose) against its mean gradient norm relative to the start. Dashed: the 1e-3 tolerance.",
                    "loss decrease over the window (%)", "gradient norm / initial", true,
                    List.of(Series.points("stuck window", ax, ay), Series.dashed("critical-point tolerance 1e-3", lineX, new double[] {1e-3, 1e-3}))));
        }
        return charts;
    }
}
