package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.curvature.CurvatureReport;
import dev.ravine.doctor.curvature.EscapeDirection;
import dev.ravine.doctor.curvature.HessianSmallestEigen;
import dev.ravine.doctor.curvature.HessianTopEigen;
import dev.ravine.doctor.curvature.HessianVectorProduct;
import dev.ravine.doctor.curvature.LanczosOptions;
import dev.ravine.doctor.curvature.LossAlongDirection;
import dev.ravine.doctor.curvature.PowerIterationOptions;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Why the loss is flat (note 001: "training stuck != small gradient"). Not a step detector: an on-demand analysis of
 * the loss at the current parameters, costing a few dozen Hessian-vector products.
 * <ol>
 *   <li>Gradient norm ||g||. It is <b>small</b> when ||g|| <= {@code gradientTolerance} x the reference (initial)
 *       gradient norm (or x 1 when no reference is known).</li>
 *   <li>Small: a critical point. Lanczos ({@code lanczosSteps} steps) gives the Hessian's smallest eigenvalue; below
 *       {@code -curvatureTolerance} x max(1, |largest Ritz value|) it is a <b>saddle_point</b>, confirmed when the loss
 *       falls along the eigenvector ({@link EscapeDirection}); otherwise a <b>local_minimum</b>.</li>
 *   <li>Not small: the top Hessian eigenvector v (power iteration) and the last updates u_1..u_k. If the projections
 *       u_i . v flip sign in more than {@code flipFraction} of successive pairs and carry on average at least
 *       {@code minShare} of each update's norm, and the step overshoots along that direction (lr x lambda_max above
 *       {@code overshoot}, 1 by default: the gradient-descent factor 1 - lr lambda is negative, so each step lands on
 *       the far wall), the iterate bounces across the walls of a <b>ravine</b>; otherwise it is not a critical point
 *       ({@code not_critical}, no finding: the run is still moving, and flips without overshoot are mini-batch
 *       noise). The overshoot test uses the run's learning rate, so it speaks for fixed-step methods (SGD, with or
 *       without momentum), the setting of note 001's ravine; an adaptive method's own step sizes are not lr, so under
 *       one (steps preconditioned per coordinate, {@link RunFacts#adaptive}) no ravine is claimed.</li>
 * </ol>
 * The loss closure must be deterministic (a fixed batch, eval mode).
 */
public record PlateauClassifier(double gradientTolerance, double curvatureTolerance, int lanczosSteps, double flipFraction, double minShare,
                                double overshoot, long seed) {
    /** What the analysis found; {@code finding} is empty for {@code not_critical}. */
    public record Classification(String kind, double gradientNorm, double smallestEigenvalue, double largestEigenvalue, double flipShare,
                                 Optional<Finding> finding) {}

    public static PlateauClassifier defaults() {
        return new PlateauClassifier(1e-3, 1e-4, 20, 0.6, 0.1, 1, 7);
    }

    /**
     * @param referenceGradNorm the gradient norm at the start of training (NaN or 0 when unknown: absolute tolerance)
     * @param recentUpdates     the last parameter updates theta_{t+1} - theta_t, flat in parameter order, oldest first
     *                          (may be empty: then a large gradient is reported as not critical)
     * @param step              the step the analysis describes, for the finding
     */
    public Classification classify(Supplier<Tensor> loss, List<Tensor> parameters, double referenceGradNorm, List<double[]> recentUpdates,
                                   RunFacts facts, long step) {
        HessianVectorProduct h = new HessianVectorProduct(loss, parameters);
        double gradNorm = DenseVectors.norm(h.gradient());
        double reference = referenceGradNorm > 0 && Double.isFinite(referenceGradNorm) ? referenceGradNorm : 1;
        if (gradNorm <= gradientTolerance * reference) return critical(loss, parameters, h, gradNorm, reference, facts, step);
        return moving(h, gradNorm, reference, recentUpdates, facts, step);
    }

    private Classification critical(Supplier<Tensor> loss, List<Tensor> parameters, HessianVectorProduct h, double gradNorm, double reference,
                                    RunFacts facts, long step) {
        CurvatureReport smallest = HessianSmallestEigen.lanczos(h, new LanczosOptions(lanczosSteps, 1e-6, seed));
        CurvatureReport top = HessianTopEigen.largest(h, PowerIterationOptions.cockpitDefaults(seed));
        double lmin = smallest.value(), lmax = top.value();
        String gradient = "gradient norm " + fmt(gradNorm) + " = " + fmt(gradNorm / reference) + "x the reference " + fmt(reference)
                + " (a critical point: below " + fmt(gradientTolerance) + "x)";
        String spectrum = "Hessian eigenvalues from " + fmt(lmin) + " (Lanczos, " + smallest.iterations() + " steps, residual " + fmt(smallest.residual())
                + ") to " + fmt(lmax);
        if (lmin < -curvatureTolerance * Math.max(1, Math.abs(lmax))) {
            double scale = Math.max(1, DenseVectors.norm(flat(parameters)));
            LossAlongDirection walk = EscapeDirection.probe(loss, parameters, smallest.vector(), -0.1 * scale, -0.01 * scale, -1e-3 * scale,
                    1e-3 * scale, 0.01 * scale, 0.1 * scale);
            String escape = walk.descends()
                    ? "along its eigenvector the loss falls by up to " + fmt(walk.largestDecrease()) + " from " + fmt(walk.baseLoss()) + ": an escape direction"
                    : "the loss did not fall along its eigenvector at the sampled steps (second-order model not confirmed)";
            Finding f = new Finding("saddle_point", "Stuck near a saddle point", Severity.WARNING, step, step, List.of(),
                    List.of(gradient, spectrum + ": negative curvature, so not a minimum", escape),
                    "The gradient vanishes but the Hessian has a negative eigenvalue: a saddle, where plain gradient descent slows to a crawl"
                            + " although a way down exists (note 001: saddles are far more common than local minima).",
                    saddleRemedies(facts));
            return new Classification("saddle_point", gradNorm, lmin, lmax, Double.NaN, Optional.of(f));
        }
        if (Math.abs(lmin) <= curvatureTolerance && Math.abs(lmax) <= curvatureTolerance) {
            Optional<Finding> flat = higherOrderSaddle(loss, parameters, gradient, spectrum, facts, step);
            if (flat.isPresent()) return new Classification("saddle_point", gradNorm, lmin, lmax, Double.NaN, flat);
        }
        Finding f = new Finding("local_minimum", "At a local minimum", Severity.INFO, step, step, List.of(),
                List.of(gradient, spectrum + ": no negative curvature"),
                "The gradient vanishes and every curvature is non-negative: a (local) minimum. If the loss is still high, the model or the"
                        + " starting point is the limit, not the optimizer (note 001: compare with a smaller model to tell them apart).",
                minimumRemedies(facts));
        return new Classification("local_minimum", gradNorm, lmin, lmax, Double.NaN, Optional.of(f));
    }

    /**
     * A critical point where the Hessian vanishes too (every measured eigenvalue within curvatureTolerance of 0): the
     * second-order test says nothing (y = w3 w2 w1 x from all-zero weights is flat to second order and still a saddle:
     * the loss is cubic along most lines). The loss is sampled along {@value #FLAT_DIRECTIONS} random unit directions
     * at steps of +-0.3, 1 and 3 x max(1, |theta|): if it falls along one of them by more than {@value #REAL_DECREASE}
     * of itself (beyond float round-off), there is a way down, so it is a higher-order saddle, not a minimum.
     */
    private Optional<Finding> higherOrderSaddle(Supplier<Tensor> loss, List<Tensor> parameters, String gradient, String spectrum, RunFacts facts,
                                                long step) {
        double[] theta = flat(parameters);
        double scale = Math.max(1, DenseVectors.norm(theta));
        java.util.Random random = new java.util.Random(seed);
        for (int k = 0; k < FLAT_DIRECTIONS; k++) {
            double[] v = new double[theta.length];
            for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
            double n = DenseVectors.norm(v);
            for (int i = 0; i < v.length; i++) v[i] /= n;
            LossAlongDirection walk = EscapeDirection.probe(loss, parameters, v, -3 * scale, -scale, -0.3 * scale, 0.3 * scale, scale, 3 * scale);
            if (!(walk.largestDecrease() > REAL_DECREASE * Math.abs(walk.baseLoss()))) continue;
            return Optional.of(new Finding("saddle_point", "Stuck near a higher-order saddle point", Severity.WARNING, step, step, List.of(),
                    List.of(gradient, spectrum + ": the Hessian vanishes too, so the second-order test is silent",
                            "along a random direction the loss falls by up to " + fmt(walk.largestDecrease()) + " from " + fmt(walk.baseLoss())
                                    + " within " + fmt(3 * scale) + " of the point: a way down exists, flat only to second order"),
                    "Gradient and curvature both vanish, yet the loss falls along some directions: a degenerate (higher-order) saddle, such"
                            + " as a product of weights that all start at zero, where gradient descent does not move at all (note 001).",
                    flatSaddleRemedies(facts)));
        }
        return Optional.empty();
    }

    /** At an exactly flat point no optimizer moves (the gradient is 0): a random initialization leaves it; then the saddle's. */
    private static List<Remedy> flatSaddleRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts != null) {
            Remedies.initializationFitting(facts, "random initial weights break the symmetry that keeps every gradient at 0").ifPresent(out::add);
        }
        out.addAll(saddleRemedies(facts));
        return out;
    }

    static final int FLAT_DIRECTIONS = 4;
    static final double REAL_DECREASE = 1e-3;

    private Classification moving(HessianVectorProduct h, double gradNorm, double reference, List<double[]> updates, RunFacts facts, long step) {
        CurvatureReport top = HessianTopEigen.largest(h, PowerIterationOptions.cockpitDefaults(seed));
        double[] v = top.vector();
        double[] proj = new double[updates.size()];
        double share = 0;
        for (int i = 0; i < proj.length; i++) {
            proj[i] = DenseVectors.dot(updates.get(i), v);
            double n = DenseVectors.norm(updates.get(i));
            share += n > 0 ? Math.abs(proj[i]) / n : 0;
        }
        share = proj.length == 0 ? 0 : share / proj.length;
        int flips = 0, pairs = 0;
        for (int i = 1; i < proj.length; i++) {
            if (proj[i] == 0 || proj[i - 1] == 0) continue;
            pairs++;
            if (Math.signum(proj[i]) != Math.signum(proj[i - 1])) flips++;
        }
        double flipShare = pairs == 0 ? 0 : (double) flips / pairs;
        double lr = facts == null ? Double.NaN : facts.learningRate();
        // An adaptive method divides lr by its own per-coordinate scale, so lr x sharpness is not its step's factor along
        // the sharp direction and cannot show an overshoot (Adadelta at its usual lr 1.0 read 6.8 on a healthy regression).
        boolean overshoots = !(facts != null && facts.adaptive()) && lr * top.value() > overshoot;
        if (pairs < 2 || !(flipShare > flipFraction) || !(share >= minShare) || !overshoots) {
            return new Classification("not_critical", gradNorm, Double.NaN, top.value(), flipShare, Optional.empty());
        }
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient norm " + fmt(gradNorm) + " = " + fmt(gradNorm / reference) + "x the reference: not a critical point");
        evidence.add("the last " + updates.size() + " updates flip sign along the sharpest direction (top Hessian eigenvalue " + fmt(top.value()) + ") in "
                + flips + " of " + pairs + " steps; that direction carries " + fmt(100 * share) + "% of each update");
        evidence.add("lr x sharpness = " + fmt(lr * top.value()) + ": above " + fmt(overshoot) + " each step overshoots the valley floor along that"
                + " direction (gradient descent diverges above 2)");
        List<Remedy> remedies = new ArrayList<>();
        Remedies.adam(facts, "per-parameter learning rates take long steps along the flat floor and short ones across the walls (note 001)")
                .ifPresent(remedies::add);
        if (facts != null) {
            Remedies.momentum(facts, "momentum averages out the back-and-forth across the ravine and accumulates along it").ifPresent(remedies::add);
        }
        if (Double.isFinite(lr)) remedies.add(Remedies.learningRate(lr, lr / 3, "shorter steps stop the bouncing between the walls"));
        Remedies.standardize(facts, "standardized features round the loss surface, shortening the ravine").ifPresent(remedies::add);
        Finding f = new Finding("ravine", "Bouncing across a ravine", Severity.WARNING, step, step, List.of(), evidence,
                "The loss is flat along the run but the gradient is not small: the iterate oscillates across the steep walls of an elongated"
                        + " valley instead of moving along its floor (note 001: training stuck is not a small gradient).", remedies);
        return new Classification("ravine", gradNorm, Double.NaN, top.value(), flipShare, Optional.of(f));
    }

    private static double[] flat(List<Tensor> parameters) {
        int n = 0;
        for (Tensor p : parameters) n += p.numel();
        double[] out = new double[n];
        int at = 0;
        for (Tensor p : parameters) for (float x : p.toArray()) out[at++] = x;
        return out;
    }


    private static List<Remedy> saddleRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts != null) {
            Remedies.momentum(facts, "momentum carries the iterate through the flat region along the escape direction").ifPresent(out::add);
        }
        Remedies.adam(facts, "per-parameter scaling enlarges the tiny gradient along the escape direction").ifPresent(out::add);
        out.add(Remedies.smallerBatch(16, "mini-batch noise pushes the iterate off the saddle"));
        return out;
    }

    private static List<Remedy> minimumRemedies(RunFacts facts) {
        List<Remedy> out = new ArrayList<>();
        if (facts != null) Remedies.wider(facts, 2, "a larger model lowers the loss it can reach (model bias)").ifPresent(out::add);
        out.add(Remedies.warmRestarts());
        return out;
    }
}
