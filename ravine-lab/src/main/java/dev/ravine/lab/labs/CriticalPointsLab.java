package dev.ravine.lab.labs;

import dev.ravine.autograd.Autograd;
import dev.ravine.doctor.curvature.EscapeDirection;
import dev.ravine.doctor.curvature.HessianVectorProduct;
import dev.ravine.doctor.curvature.LossAlongDirection;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabResult;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.Verdict;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.linalg.SymmetricEigen;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lab 4: where gradient descent on small nets stalls with a vanishing gradient, classified by the Hessian's spectrum
 * (saddle: a negative eigenvalue; minimum: none), how often each, and the escape along the negative-curvature
 * eigenvector.
 */
public final class CriticalPointsLab implements Lab {
    private static final int SAMPLES = 40, HIDDEN = 6, ESCAPE_STEPS = 500;
    private static final double LR = 0.1, GRADIENT_TOLERANCE = 1e-2, CURVATURE_TOLERANCE = 1e-4, KICK = 0.1;

    @Override
    public String name() {
        return "critical-points";
    }

    @Override
    public int number() {
        return 4;
    }

    @Override
    public String title() {
        return "Critical points: saddles against local minima";
    }

    @Override
    public String note() {
        return "001_e82c585286b62341.txt";
    }

    @Override
    public String claim() {
        return "Where the gradient vanishes, the Hessian tells what the point is: all eigenvalues positive, a local minimum; some "
                + "negative, a saddle point, and the eigenvector of a negative eigenvalue is a direction in which the loss falls, a "
                + "way out. Empirically, when training stops at a point with a tiny gradient, it is far more often a saddle than a "
                + "local minimum, so being stuck at a critical point is less hopeless than it sounds.";
    }

    @Override
    public String method() {
        return "A 2-6-1 tanh network (25 parameters; Ravine's Linear and tanh, torch's default initialization) fits y = sin(2·x1)·cos(x2) "
                + "on 40 fixed Gaussian inputs with mean squared error, from many random initializations (4 per seed in the quick run, "
                + "6 in the full one). Full-batch gradient descent (Ravine's sgd, lr 0.1) runs until the gradient norm first falls "
                + "below 1e-2 of its initial value (a stall near a critical point), or the step budget (3000 quick, 8000 full) runs out. "
                + "At each point reached the full 25 x 25 Hessian is built from exact Hessian-vector products (ravine-doctor's "
                + "HessianVectorProduct, one per basis vector) and diagonalized (SymmetricEigen). Saddle: the smallest eigenvalue is "
                + "below -1e-4 x max(1, |largest|), the doctor's rule; otherwise a minimum. At each saddle the loss is probed along "
                + "the eigenvector of the smallest eigenvalue (the doctor's EscapeDirection, steps of ±0.01 to ±0.3), and gradient "
                + "descent is run 500 more steps from the saddle and from the saddle moved 0.1 along that eigenvector (the sign "
                + "that lowers the loss).";
    }

    @Override
    public String decisionRule() {
        return "Held if more than half of the near-critical points reached are saddles (by the rule above); otherwise it did not hold. "
                + "The escape figures are reported alongside, not part of the decision.";
    }

    private record Point(double loss, double gradientRatio, double[] eigenvalues, boolean saddle, double negativeFraction, boolean descends,
                         double[] lossNoKick, double[] lossKick) {}

    @Override
    public LabResult run(LabSettings settings) {
        int perSeed = settings.pick(4, 6), budget = settings.pick(3000, 8000);
        Data data = Data.make();
        List<Point> points = new ArrayList<>();
        int inits = 0, notReached = 0;
        for (long seed : settings.seeds()) {
            for (int k = 0; k < perSeed; k++) {
                inits++;
                Point p = descend(data, seed * 1000 + k, budget);
                if (p == null) notReached++;
                else points.add(p);
            }
        }
        int saddles = 0, minima = 0, descending = 0;
        double kickGain = 0;
        Point example = null;
        for (Point p : points) {
            if (p.saddle()) {
                saddles++;
                if (p.descends()) descending++;
                kickGain += p.lossNoKick()[ESCAPE_STEPS] - p.lossKick()[ESCAPE_STEPS];
                if (example == null) example = p;
            } else {
                minima++;
            }
        }
        int reached = points.size();
        List<Figure> figures = new ArrayList<>(List.of(
                new Figure("inits", "random initializations", inits, ""),
                new Figure("reached", "runs whose gradient norm fell below 1e-2 of its start", reached, "of " + inits),
                new Figure("saddles", "near-critical points that are saddles", saddles, "of " + reached),
                new Figure("minima", "near-critical points that are minima", minima, "of " + reached),
                new Figure("saddle_fraction", "fraction of saddles", reached == 0 ? Double.NaN : (double) saddles / reached, ""),
                new Figure("escape_descends", "saddles where the loss falls along the negative-curvature eigenvector", descending, "of " + saddles),
                new Figure("escape_gain", "mean loss after 500 more steps: from the saddle minus from the saddle moved along the eigenvector",
                        saddles == 0 ? Double.NaN : kickGain / saddles, "")));
        if (example != null) {
            double[] ev = example.eigenvalues();
            figures.add(new Figure("example_smallest_eigenvalue", "the first saddle's smallest Hessian eigenvalue", ev[ev.length - 1], ""));
            figures.add(new Figure("example_largest_eigenvalue", "the first saddle's largest Hessian eigenvalue", ev[0], ""));
        }
        boolean held = reached > 0 && saddles * 2 > reached;
        String because = String.format(Locale.ROOT, "of %d points where the gradient norm fell below 1e-2 of its start (%d of %d initializations), %d were saddles "
                + "and %d minima (%.0f%% saddles; the rule asks for more than half)", reached, reached, inits, saddles, minima,
                reached == 0 ? Double.NaN : 100.0 * saddles / reached);
        Verdict verdict = Verdict.of(held, because, "reached", "saddles", "minima");
        String reading = reading(saddles, minima, reached, descending, saddles == 0 ? Double.NaN : kickGain / saddles, notReached);
        return new LabResult(figures, verdict, charts(points, example), reading);
    }

    private static String reading(int saddles, int minima, int reached, int descending, double gain, int notReached) {
        String s = String.format(Locale.ROOT, "Of the %d points where gradient descent's gradient norm fell below 1e-2 of its start, %d had "
                + "a clearly negative Hessian eigenvalue (saddles) and %d had none (minima, to the rule's tolerance); %d runs never got below the tolerance in the step "
                + "budget and are not counted. ", reached, saddles, minima, notReached);
        if (saddles > 0) {
            s += String.format(Locale.ROOT, "At %d of the %d saddles the loss fell along the eigenvector of the negative eigenvalue, as the "
                    + "second-order expansion L(θ + t·v) ≈ L(θ) + t²λ/2 says it must; moving 0.1 along it and descending 500 more steps "
                    + "ended %.3g lower in loss, on average, than descending from the saddle itself, which gradient descent leaves "
                    + "only slowly because the gradient there is tiny. ", descending, saddles, gain);
        }
        return s;
    }

    /** The fixed data set: 40 Gaussian inputs in 2-D, y = sin(2 x1) cos(x2). */
    private record Data(Tensor inputs, Tensor targets) {
        static Data make() {
            Rng rng = new Rng(20240);
            float[] x = new float[SAMPLES * 2], y = new float[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                x[2 * i] = (float) rng.nextGaussian();
                x[2 * i + 1] = (float) rng.nextGaussian();
                y[i] = (float) (Math.sin(2 * x[2 * i]) * Math.cos(x[2 * i + 1]));
            }
            return new Data(Tensor.of(x, SAMPLES, 2), Tensor.of(y, SAMPLES, 1));
        }
    }

    /** Gradient descent from one initialization until the gradient is below the tolerance; null when the budget ran out first. */
    private static Point descend(Data data, long initSeed, int budget) {
        Module net = new Sequential(new Linear(2, HIDDEN, true, new Rng(initSeed)), new Activation(Activation.Kind.TANH),
                new Linear(HIDDEN, 1, true, new Rng(initSeed + 1)));
        MseLoss mse = new MseLoss();
        Supplier<Tensor> loss = () -> mse.compute(net.call(data.inputs()), data.targets());
        List<Tensor> params = net.parameters();
        Optimizer sgd = Optimizers.byName("sgd", Map.of("lr", LR), net.namedParameters());
        double initial = Double.NaN;
        for (int t = 0; t <= budget; t++) {
            Tensor l = loss.get();
            List<Tensor> g = Autograd.grad(l, params, null, false);
            double gn = norm(g);
            if (t == 0) initial = gn;
            if (gn < GRADIENT_TOLERANCE * initial) return classify(net, loss, params, l.item(), gn / initial);
            if (t == budget) break;
            for (int i = 0; i < params.size(); i++) params.get(i).setGrad(g.get(i));
            sgd.step();
        }
        return null;
    }

    private static Point classify(Module net, Supplier<Tensor> loss, List<Tensor> params, double at, double gradNorm) {
        HessianVectorProduct h = new HessianVectorProduct(loss, params);
        int n = h.dimension();
        double[] matrix = new double[n * n];
        for (int i = 0; i < n; i++) {
            double[] e = new double[n];
            e[i] = 1;
            double[] column = h.apply(e);
            for (int j = 0; j < n; j++) matrix[j * n + i] = column[j];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) { // float rounding makes H a hair asymmetric: its symmetric part
                double m = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
                matrix[i * n + j] = m;
                matrix[j * n + i] = m;
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(matrix, n);
        double largest = eig.values()[0], smallest = eig.values()[n - 1];
        double tol = CURVATURE_TOLERANCE * Math.max(1, Math.abs(largest));
        boolean saddle = smallest < -tol;
        int negative = 0;
        for (double v : eig.values()) if (v < -tol) negative++;
        if (!saddle) return new Point(at, gradNorm, eig.values(), false, 0, false, null, null);
        double[] v = eig.vector(n - 1);
        LossAlongDirection walk = EscapeDirection.probe(loss, params, v, -0.3, -0.1, -0.03, -0.01, 0.01, 0.03, 0.1, 0.3);
        LossAlongDirection sides = EscapeDirection.probe(loss, params, v, -KICK, KICK);
        double sign = sides.losses()[1] <= sides.losses()[0] ? 1 : -1;
        double[] noKick = continueFrom(net, loss, params, v, 0);
        double[] kick = continueFrom(net, loss, params, v, sign * KICK);
        return new Point(at, gradNorm, eig.values(), true, (double) negative / n, walk.descends(), noKick, kick);
    }

    /** ESCAPE_STEPS more steps of gradient descent from the point moved {@code t} along {@code v}; the parameters are restored after. */
    private static double[] continueFrom(Module net, Supplier<Tensor> loss, List<Tensor> params, double[] v, double t) {
        List<float[]> saved = new ArrayList<>();
        for (Tensor p : params) saved.add(p.toArray().clone());
        int k = 0;
        for (Tensor p : params) {
            float[] w = p.storage();
            for (int j = 0; j < w.length; j++) w[j] += (float) (t * v[k++]);
        }
        Optimizer sgd = Optimizers.byName("sgd", Map.of("lr", LR), net.namedParameters());
        double[] losses = new double[ESCAPE_STEPS + 1];
        for (int s = 0; s <= ESCAPE_STEPS; s++) {
            Tensor l = loss.get();
            losses[s] = l.item();
            if (s == ESCAPE_STEPS) break;
            List<Tensor> g = Autograd.grad(l, params, null, false);
            for (int i = 0; i < params.size(); i++) params.get(i).setGrad(g.get(i));
            sgd.step();
        }
        for (int i = 0; i < params.size(); i++) params.get(i).copyFrom(saved.get(i));
        return losses;
    }

    private static double norm(List<Tensor> g) {
        double sq = 0;
        for (Tensor gi : g) for (float x : gi.toArray()) sq += (double) x * x;
        return Math.sqrt(sq);
    }

    private static List<Chart> charts(List<Point> points, Point example) {
        List<Chart> charts = new ArrayList<>();
        // x is each point's rank by loss: a shared x axis cannot hold two points at the same x
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(java.util.Comparator.comparingDouble(Point::loss));
        List<double[]> sx = new ArrayList<>(), mx = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Point p = sorted.get(i);
            (p.saddle() ? sx : mx).add(new double[] {i + 1, p.loss(), p.negativeFraction()});
        }
        List<Series> series = new ArrayList<>();
        if (!sx.isEmpty()) series.add(Series.points("saddle", column(sx, 0), column(sx, 1)));
        if (!mx.isEmpty()) series.add(Series.points("minimum", column(mx, 0), column(mx, 1)));
        if (!series.isEmpty()) {
            charts.add(new LineChart("points", "Every near-critical point, by loss", "One dot per point where the gradient norm fell below "
                    + "1e-2 of its start, ordered by its loss, coloured by what its Hessian says.", "point (ranked by loss)", "loss", true, series));
        }
        if (!sx.isEmpty()) {
            charts.add(new LineChart("negative", "Share of negative curvature at each saddle", "For each saddle (same ranks as above): the "
                    + "fraction of the Hessian's 25 eigenvalues below the tolerance. The note's \"minimum ratio\" is one minus it.",
                    "point (ranked by loss)", "fraction of negative eigenvalues", false, List.of(Series.points("saddle", column(sx, 0), column(sx, 2)))));
        }
        if (example != null) {
            int n = example.eigenvalues().length;
            double[] idx = new double[n];
            for (int i = 0; i < n; i++) idx[i] = i + 1;
            charts.add(new LineChart("spectrum", "The Hessian spectrum at one saddle", "Eigenvalues from largest to smallest at the first "
                    + "saddle found, on a linear axis: the negative ones are small next to the largest, as near a critical point of a small net they usually are.", "eigenvalue rank", "eigenvalue", false,
                    List.of(Series.points("eigenvalue", idx, example.eigenvalues()))));
            double[] steps = new double[ESCAPE_STEPS + 1];
            for (int i = 0; i < steps.length; i++) steps[i] = i;
            charts.add(new LineChart("escape", "Leaving that saddle", "Loss of 500 more gradient-descent steps from the saddle itself and from the "
                    + "saddle moved 0.1 along the eigenvector of its negative eigenvalue.", "step", "loss", true,
                    List.of(Series.line("from the saddle", steps, example.lossNoKick()), Series.line("moved 0.1 along the escape direction", steps,
                            example.lossKick()))));
        }
        return charts;
    }

    private static double[] column(List<double[]> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i)[c];
        return out;
    }
}
