package dev.ravine.lab.labs;

import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.ContourChart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.lab.surface.Beale;
import dev.ravine.lab.surface.ElongatedQuadratic;
import dev.ravine.lab.surface.OptimizerSetting;
import dev.ravine.lab.surface.Rosenbrock;
import dev.ravine.lab.surface.Saddle;
import dev.ravine.lab.surface.Surface;
import dev.ravine.lab.surface.SurfaceCharts;
import dev.ravine.lab.surface.SurfaceDescent;
import dev.ravine.lab.surface.Trajectory;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lab 1: Ravine's optimizers on four 2-D error surfaces (the ravine, Rosenbrock, a saddle, Beale), their paths drawn
 * over the contours, and the steady-state speed-up of momentum measured against 1/(1-alpha).
 */
public final class OptimizerPathsLab implements Lab {
    /** The momentum coefficients whose speed-up is measured (quick: the first three). */
    private static final double[] ALPHAS = {0.5, 0.8, 0.9, 0.95};
    /** The decision rule's tolerance: every measured speed-up within 15% of 1/(1-alpha). */
    private static final double TOLERANCE = 0.15;

    @Override
    public String name() {
        return "optimizer-paths";
    }

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String title() {
        return "Optimizer trajectories on 2-D error surfaces";
    }

    @Override
    public String note() {
        return "002_7b17531979328832.txt";
    }

    @Override
    public String claim() {
        return "On an error surface shaped like a long narrow valley (a ravine), plain gradient descent with one learning rate "
                + "zig-zags across the valley and crawls along it; momentum accumulates the small, consistent gradient along the "
                + "valley, and in the steady state (a gradient that changes slowly) its velocity reaches 1/(1-alpha) times the plain "
                + "step, so with momentum alpha = 0.9 it travels about ten times as fast. Per-weight adaptive methods (Adagrad, "
                + "RMSprop, Adadelta, Adam, AdaMax, RAdam, rprop, adaptive gains) rescale each coordinate instead, and the "
                + "well-known animations of their trajectories on such surfaces (and on Rosenbrock's valley, a saddle, Beale's "
                + "function) show how differently they move.";
    }

    @Override
    public String method() {
        return "Each surface is a tensor expression of two 1-element parameter tensors; Ravine's autograd takes the gradient and "
                + "Ravine's own optimizers (the same chains a training config builds) take the steps: " + describeAll(settings(ElongatedQuadratic.ravine()))
                + " on the ravine (learning rates are per surface, listed under each plot; Adadelta keeps torch's defaults). "
                + "Speed-up: on the ravine f = (x² + 20y²)/2 from a start drawn per seed (x in [-5, -3], y in [-1.5, 1.5]), SGD and "
                + "SGD with momentum alpha (torch's form v = alpha·v + g, step -lr·v) share one small learning rate, with "
                + "lr × (flat curvature) = 1e-3 in the quick run and 1e-4 in the full run, so the gradient along the valley "
                + "changes slowly, which is the steady state the claim is about; the speed-up is the number of SGD steps "
                + "to bring the loss to 1/1000 of its start divided by the number momentum needs. Nesterov momentum is measured "
                + "the same way and shown. The paths are deterministic; the seeds vary the start of the speed-up runs.";
    }

    @Override
    public String decisionRule() {
        return "Held if, for every alpha measured (0.5, 0.8, 0.9 in the quick run; also 0.95 in the full run) and every seed, the "
                + "measured speed-up of heavy-ball momentum is within 15% of 1/(1-alpha); otherwise it did not hold.";
    }

    /** The steady-state speed-up on a quadratic is a geometric series: certain, up to the rule's tolerance. */
    @Override
    public boolean certainOnThisSetup() {
        return true;
    }

    @Override
    public LabResult run(LabSettings settings) {
        int steps = settings.pick(300, 1500);
        List<Figure> figures = new ArrayList<>();
        List<Chart> charts = new ArrayList<>();
        Map<String, List<Trajectory>> bySurface = new java.util.LinkedHashMap<>();
        for (Surface s : List.of(ElongatedQuadratic.ravine(), new Rosenbrock(), new Saddle(), new Beale())) {
            bySurface.put(s.name(), surfaceRun(s, steps, figures, charts));
        }
        String pathsReading = pathsReading(bySurface, figures);
        SpeedUp speed = speedUps(settings);
        figures.addAll(speed.figures);
        charts.add(speed.chart);
        String worstAlpha = speed.worstKey;
        boolean held = speed.worstRelativeError <= TOLERANCE;
        Verdict verdict = Verdict.of(held, String.format(Locale.ROOT,
                "the measured momentum speed-ups were within %.1f%% of 1/(1-alpha) at worst (alpha = %s), against the rule's 15%%",
                100 * speed.worstRelativeError, speed.worstAlpha), speed.decidingKeys.toArray(String[]::new));
        String reading = String.format(Locale.ROOT, "With the same small learning rate, momentum 0.9 reached the target loss %.2f times "
                        + "as fast as plain SGD (1/(1-0.9) = 10), because in the steady state its velocity is the sum of a geometric "
                        + "series of gradients, g/(1-alpha). The worst case over the alphas and seeds was %s. The claim is about the "
                        + "steady state: with a learning rate large against the curvature (the paths above), momentum overshoots and "
                        + "swings past the minimum instead. ", speed.meanAt09, worstAlpha) + pathsReading;
        return new LabResult(figures, verdict, charts, reading);
    }

    // ---- the four surfaces ------------------------------------------------------------------------------------------

    /** What the paths did, from the measured trajectories: who left the saddle's ridge first and last, which runs diverged. */
    private static String pathsReading(Map<String, List<Trajectory>> bySurface, List<Figure> figures) {
        StringBuilder r = new StringBuilder();
        List<String> left = new ArrayList<>(), stayed = new ArrayList<>();
        String fastest = null, slowest = null;
        int fastestSteps = Integer.MAX_VALUE, slowestSteps = -1;
        for (Trajectory t : bySurface.get("saddle")) {
            int n = -1;
            for (int i = 0; i < t.points(); i++) {
                if (Math.abs(t.y()[i]) >= 0.5) {
                    n = i;
                    break;
                }
            }
            figures.add(new Figure("saddle." + key(t.label()) + ".steps_to_leave", "saddle: " + t.label() + " steps until |y| >= 0.5 (off the ridge)",
                    n < 0 ? Double.NaN : n, ""));
            if (n < 0) {
                stayed.add(t.label());
                continue;
            }
            left.add(t.label());
            if (n < fastestSteps) {
                fastestSteps = n;
                fastest = t.label();
            }
            if (n > slowestSteps) {
                slowestSteps = n;
                slowest = t.label();
            }
        }
        if (fastest != null) {
            r.append(String.format(Locale.ROOT, "On the saddle, where the gradient along the escape direction y starts at 2e-3, %s left the ridge "
                    + "first (|y| >= 0.5 after %d steps) and %s last of those that left (%d steps)", fastest, fastestSteps, slowest, slowestSteps));
            r.append(stayed.isEmpty() ? ". " : "; " + String.join(", ", stayed) + " never left it in these steps. ");
        }
        List<String> diverged = new ArrayList<>();
        bySurface.forEach((surface, paths) -> paths.stream().filter(Trajectory::diverged)
                .forEach(t -> diverged.add(t.label() + " on " + surface + " (step " + (t.points() - 1) + ")")));
        if (!diverged.isEmpty()) {
            r.append("Diverged: ").append(String.join(", ", diverged)).append(". ");
        }
        if (diverged.stream().anyMatch(d -> d.startsWith("RAdam "))) {
            r.append("RAdam's first steps, before its variance estimate is trusted, are "
                    + "momentum SGD at the full learning rate, so on a surface with gradients in the hundreds a step size "
                    + "that suits Adam throws it off the surface. ");
        }
        r.append("On the ravine plain SGD's path zig-zags across the steep direction while it advances along x; the adaptive methods "
                + "rescale each coordinate by its own gradient history, so their first steps point nearly diagonally.");
        return r.toString();
    }

    private static List<Trajectory> surfaceRun(Surface s, int steps, List<Figure> figures, List<Chart> charts) {
        List<OptimizerSetting> opts = settings(s);
        List<Trajectory> paths = new ArrayList<>();
        for (OptimizerSetting o : opts) {
            Trajectory t = SurfaceDescent.run(s, o.label(), o.name(), o.options(), steps);
            paths.add(t);
            figures.add(new Figure(s.name() + "." + key(o.label()) + ".final_loss", s.name() + ": " + o.label() + " loss after " + steps + " steps"
                    + (t.diverged() ? " (diverged at step " + (t.points() - 1) + ")" : ""), t.diverged() ? Double.NaN : t.finalLoss(), ""));
        }
        double[] m = s.minimum();
        List<ContourChart.Mark> marks = new ArrayList<>(List.of(new ContourChart.Mark("minimum", m[0], m[1]),
                new ContourChart.Mark("start", s.start()[0], s.start()[1])));
        if (s instanceof Saddle) marks.add(new ContourChart.Mark("saddle point", 0, 0));
        String settingsText = " Settings: " + describeAll(opts) + ".";
        charts.add(SurfaceCharts.contour(s.name() + "-paths", "Paths on the " + s.name() + ": " + s.formula(),
                "The first " + steps + " steps of each optimizer from the marked start, over the surface's contours (colour: "
                        + (s.logLevels() ? "log of the value" : "the value") + ", dark low, yellow high). The paths replay as an animation; "
                        + "the button replays it." + settingsText, s, paths, marks));
        double offset = s instanceof Saddle ? 0.5 : 0;
        charts.add(SurfaceCharts.losses(s.name() + "-loss", "Loss by step on the " + s.name(),
                "Loss of each optimizer at every step" + (offset != 0 ? ", minus the minimum (−0.5), " : ", ") + "log scale.", paths, offset));
        return paths;
    }

    /** The optimizers and their options on one surface: one step size per surface, scaled per family. */
    static List<OptimizerSetting> settings(Surface s) {
        // SGD's lr must respect the steepest curvature on the path (2/lr); the adaptive methods' lr is a step length in x, y.
        double sgd = switch (s.name()) {
            case "rosenbrock" -> 5e-4;
            case "beale" -> 2e-3;
            case "saddle" -> 0.05;
            default -> 0.09;
        };
        double step = s.name().equals("rosenbrock") || s.name().equals("beale") ? 0.02 : 0.05;
        return List.of(
                new OptimizerSetting("SGD", "sgd", Map.of("lr", sgd)),
                new OptimizerSetting("momentum", "sgd", Map.of("lr", sgd / 4, "momentum", 0.9)),
                new OptimizerSetting("Nesterov", "sgd", Map.of("lr", sgd / 4, "momentum", 0.9, "nesterov", true)),
                new OptimizerSetting("Adagrad", "adagrad", Map.of("lr", 10 * step)),
                new OptimizerSetting("RMSprop", "rmsprop", Map.of("lr", step / 5)),
                new OptimizerSetting("Adadelta", "adadelta", Map.of()),
                new OptimizerSetting("Adam", "adam", Map.of("lr", step)),
                new OptimizerSetting("AdaMax", "adamax", Map.of("lr", step)),
                new OptimizerSetting("RAdam", "radam", Map.of("lr", step)),
                new OptimizerSetting("rprop", "rprop", Map.of("lr", step / 5)),
                new OptimizerSetting("adaptive gains", "adaptive_gains", Map.of("lr", sgd)));
    }

    private static String describeAll(List<OptimizerSetting> opts) {
        return String.join(", ", opts.stream().map(o -> o.label() + " " + o.describe()).toList());
    }

    private static String key(String label) {
        return label.toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    // ---- the momentum speed-up --------------------------------------------------------------------------------------

    private record SpeedUp(List<Figure> figures, List<String> decidingKeys, LineChart chart, double worstRelativeError, String worstAlpha,
                           String worstKey, double meanAt09) {}

    private static SpeedUp speedUps(LabSettings settings) {
        double h = settings.quickRun() ? 1e-3 : 1e-4; // lr x flat curvature (1): the steady-state regime
        int alphas = settings.quickRun() ? 3 : ALPHAS.length;
        ElongatedQuadratic ravine = ElongatedQuadratic.ravine();
        List<Figure> figures = new ArrayList<>();
        List<String> deciding = new ArrayList<>();
        double[] ax = new double[alphas], heavy = new double[alphas], nesterov = new double[alphas], predicted = new double[alphas];
        double worst = -1, meanAt09 = Double.NaN;
        String worstAlpha = "", worstKey = "";
        Map<Long, Integer> plainSteps = new java.util.HashMap<>(); // plain SGD's steps per seed, the same for every alpha
        for (int a = 0; a < alphas; a++) {
            double alpha = ALPHAS[a];
            ax[a] = alpha;
            predicted[a] = 1 / (1 - alpha);
            double sumHeavy = 0, sumNesterov = 0, worstHere = -1, worstValue = Double.NaN;
            for (long seed : settings.seeds()) {
                double[] start = start(seed);
                double f0 = 0.5 * (start[0] * start[0] + 20 * start[1] * start[1]);
                int plain = plainSteps.computeIfAbsent(seed, x -> stepsTo(ravine, start, f0 / 1000, Map.of("lr", h)));
                double s = (double) plain / stepsTo(ravine, start, f0 / 1000, Map.of("lr", h, "momentum", alpha));
                double n = (double) plain / stepsTo(ravine, start, f0 / 1000, Map.of("lr", h, "momentum", alpha, "nesterov", true));
                sumHeavy += s;
                sumNesterov += n;
                double err = Math.abs(s / predicted[a] - 1);
                if (err > worstHere) {
                    worstHere = err;
                    worstValue = s;
                }
            }
            heavy[a] = sumHeavy / settings.seeds().size();
            nesterov[a] = sumNesterov / settings.seeds().size();
            if (alpha == 0.9) meanAt09 = heavy[a];
            String k = String.format(Locale.ROOT, "speedup.momentum_%s", trim(alpha));
            figures.add(new Figure(k, "momentum " + trim(alpha) + ": mean speed-up over " + settings.seeds().size() + " seeds", heavy[a], "x"));
            figures.add(new Figure(k + ".worst", "momentum " + trim(alpha) + ": the seed farthest from 1/(1-alpha)", worstValue, "x"));
            figures.add(new Figure(k + ".predicted", "momentum " + trim(alpha) + ": 1/(1-alpha)", predicted[a], "x"));
            figures.add(new Figure(String.format(Locale.ROOT, "speedup.nesterov_%s", trim(alpha)), "Nesterov " + trim(alpha) + ": mean speed-up",
                    nesterov[a], "x"));
            deciding.add(k + ".worst");
            deciding.add(k + ".predicted");
            if (worstHere > worst) {
                worst = worstHere;
                worstAlpha = trim(alpha);
                worstKey = String.format(Locale.ROOT, "%.2fx measured against %.0fx predicted at alpha = %s", worstValue, predicted[a], trim(alpha));
            }
        }
        LineChart chart = new LineChart("speedup", "Momentum's speed-up against 1/(1-alpha)",
                String.format(Locale.ROOT, "Steps plain SGD needs to bring the ravine's loss to 1/1000 of its start, divided by the steps momentum "
                        + "needs, at lr × flat curvature = %s (mean over seeds), against the steady-state prediction 1/(1-alpha) (dashed).", h),
                "momentum alpha", "speed-up (x)", false,
                List.of(Series.points("heavy-ball momentum (measured)", ax, heavy), Series.points("Nesterov (measured)", ax, nesterov),
                        Series.dashed("1/(1-alpha)", ax, predicted)));
        return new SpeedUp(figures, deciding, chart, worst, worstAlpha, worstKey, meanAt09);
    }

    /** A start in the ravine drawn from the seed: x in [-5, -3], y in [-1.5, 1.5]. */
    private static double[] start(long seed) {
        Rng rng = new Rng(seed);
        return new double[] {-5 + 2 * rng.nextDouble(), -1.5 + 3 * rng.nextDouble()};
    }

    private static int stepsTo(Surface s, double[] start, double target, Map<String, Object> sgdOptions) {
        // enough steps for plain SGD: the loss falls by (1 - lr)^2 per step along x, so ln(1000) / (2 lr) steps, with room
        int limit = (int) Math.ceil(2 * Math.log(1000) / (2 * (double) sgdOptions.get("lr")));
        Trajectory t = SurfaceDescent.run(s, "speed-up", OptimizerAssembly.of("sgd", sgdOptions), start, limit, target);
        int n = t.stepsTo(target);
        if (n <= 0) throw new IllegalStateException("SGD " + sgdOptions + " did not reach the target loss in " + limit + " steps");
        return n;
    }

    private static String trim(double v) {
        return String.valueOf(v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
