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
 *       u_i . v flip sign in more than {@code flipFraction} of the successive pairs that ringing at this step would flip
 *       (all of them for gradient descent past lr x lambda_max = 1, theta / pi under heavy-ball momentum:
 *       {@link HeavyBallRing}) and carry on average at least
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
                                double overshoot, long seed, double stepScale, HeavyBallRing ring) {
    /** What the analysis found; {@code finding} is empty for {@code not_critical}. */
    public record Classification(String kind, double gradientNorm, double smallestEigenvalue, double largestEigenvalue, double flipShare,
                                 Optional<Finding> finding) {}

    public static PlateauClassifier defaults() {
        return new PlateauClassifier(1e-3, 1e-4, 20, 0.6, 0.1, 1, 7, 1, HeavyBallRing.NONE);
    }

    /**
     * The same analysis for a run whose steps were {@code scale} x lr x the gradient: gradient clipping scales each step
     * down by max norm / gradient norm when that is below 1, so the step's factor along the sharpest direction is
     * lr x scale x sharpness, not lr x sharpness (SGD at lr 1.0 clipped to norm 0.2 had its gradients of 0.33-0.9 scaled
     * by about 0.4 on every step, and read 1.7 unscaled). The sharpness limit passed must be the edge at that step.
     */
    public PlateauClassifier withStepScale(double scale) {
        return new PlateauClassifier(gradientTolerance, curvatureTolerance, lanczosSteps, flipFraction, minShare, overshoot, seed, scale, ring);
    }

    /**
     * The same analysis for a run under heavy-ball momentum: its bounce across a ravine is a rotation of theta per step,
     * whose updates flip sign in a share theta / pi of successive pairs ({@link HeavyBallRing}), not in every pair as
     * gradient descent's do (heavy ball at momentum 0.8 and lr x sharpness 3 on a condition-6000 regression flipped in 4 of
     * 7 pairs, where its rotation predicts 0.73 of them, and was read not critical against gradient descent's 0.6).
     */
    public PlateauClassifier withMomentum(HeavyBallRing momentum) {
        return new PlateauClassifier(gradientTolerance, curvatureTolerance, lanczosSteps, flipFraction, minShare, overshoot, seed, stepScale, momentum);
    }

    /**
     * @param referenceGradNorm the gradient norm at the start of training (NaN or 0 when unknown: absolute tolerance)
     * @param recentUpdates     the last parameter updates theta_{t+1} - theta_t, flat in parameter order, oldest first
     *                          (may be empty: then a large gradient is reported as not critical)
     * @param step              the step the analysis describes, for the finding
     */
    public Classification classify(Supplier<Tensor> loss, List<Tensor> parameters, double referenceGradNorm, List<double[]> recentUpdates,
                                   RunFacts facts, long step) {
        return classify(loss, parameters, referenceGradNorm, recentUpdates, facts, step, Double.NaN);
    }

    /**
     * As above, knowing the optimizer's stability edge: {@code sharpnessLimit}, the top Hessian eigenvalue above which
     * its step at the current learning rate diverges along that direction (2 / lr for gradient descent, (2 + 2 beta) /
     * ((1 - dampening) lr) for heavy ball: {@link dev.ravine.doctor.curvature.StabilityRule}); NaN where no such edge
     * is known (Nesterov, adaptive or closure methods), and then bouncing is always a ravine. A bounce whose sharpness
     * is more than {@value #EDGE_HOVER}x the edge is lr_too_high; up to that it is at the edge, a ravine's.
     */
    public Classification classify(Supplier<Tensor> loss, List<Tensor> parameters, double referenceGradNorm, List<double[]> recentUpdates,
                                   RunFacts facts, long step, double sharpnessLimit) {
        HessianVectorProduct h = new HessianVectorProduct(loss, parameters);
        double gradNorm = DenseVectors.norm(h.gradient());
        double reference = referenceGradNorm > 0 && Double.isFinite(referenceGradNorm) ? referenceGradNorm : 1;
        if (gradNorm <= gradientTolerance * reference || flatAtItsScale(loss, parameters, gradNorm)) {
            return critical(loss, parameters, h, gradNorm, reference, facts, step);
        }
        return moving(h, gradNorm, reference, recentUpdates, facts, step, sharpnessLimit);
    }

    /**
     * Whether the gradient is small on the loss's own scale: moving every parameter by its own size (||theta||) would
     * change the loss by at most {@code gradientTolerance} of itself, to first order (||g|| ||theta|| below that share of
     * the loss). Needed where the reference gradient is itself tiny: a chain of linear layers started at std 0.01 has
     * gradients that are products of tiny weights from its first step on (about 1e-5 against a loss near 1, weights of
     * norm 0.1), so the gradient never falls far below its start, yet the run sits at the saddle at the origin. A
     * network away from a critical point has ||g|| ||theta|| of the order of its loss or more.
     */
    private boolean flatAtItsScale(Supplier<Tensor> loss, List<Tensor> parameters, double gradNorm) {
        double value;
        try (var scope = dev.ravine.autograd.GradMode.noGrad()) {
            value = loss.get().item();
        }
        double size = DenseVectors.norm(flat(parameters));
        return Double.isFinite(value) && value > 0 && gradNorm * size <= gradientTolerance * value;
    }

    /**
     * Only the moving part of the analysis (no critical-point verdicts): for a loss that still falls, slowly, where a
     * small gradient is no plateau of its own but progress that is ending. Only a ravine by its floor, else
     * {@code not_critical}.
     */
    public Classification classifyCrawl(Supplier<Tensor> loss, List<Tensor> parameters, double referenceGradNorm, List<double[]> recentUpdates,
                                        RunFacts facts, long step, double sharpnessLimit) {
        HessianVectorProduct h = new HessianVectorProduct(loss, parameters);
        double gradNorm = DenseVectors.norm(h.gradient());
        double reference = referenceGradNorm > 0 && Double.isFinite(referenceGradNorm) ? referenceGradNorm : 1;
        if (gradNorm <= gradientTolerance * reference) return new Classification("not_critical", gradNorm, Double.NaN, Double.NaN, Double.NaN, Optional.empty());
        // Only the floor's verdict: a loss still falling that bounces is learning through its noise, and what holds it back
        // is read by the step detectors (an SGD run at lr 1.0 whose ReLUs die bounced 2.8x past the edge while crawling;
        // its cause, by its counterfactual, is the dead units).
        CurvatureReport top = HessianTopEigen.largest(h, PowerIterationOptions.cockpitDefaults(seed));
        double lr = facts == null ? Double.NaN : facts.learningRate();
        boolean overshoots = !(facts != null && facts.adaptive()) && lr * stepScale * top.value() > overshoot;
        String gradient = "gradient norm " + fmt(gradNorm) + " = " + fmt(gradNorm / reference) + "x the reference: not a critical point";
        Optional<Finding> floor = overshoots ? floorCrawl(h, recentUpdates, top.value(), gradient, lr, stepScale, facts, step) : Optional.empty();
        return new Classification(floor.isPresent() ? "ravine" : "not_critical", gradNorm, Double.NaN, top.value(), Double.NaN, floor);
    }

    private Classification critical(Supplier<Tensor> loss, List<Tensor> parameters, HessianVectorProduct h, double gradNorm, double reference,
                                    RunFacts facts, long step) {
        CurvatureReport smallest = HessianSmallestEigen.lanczos(h, new LanczosOptions(lanczosSteps, 1e-6, seed));
        CurvatureReport top = HessianTopEigen.largest(h, PowerIterationOptions.cockpitDefaults(seed));
        double lmin = smallest.value(), lmax = top.value();
        String gradient = "gradient norm " + fmt(gradNorm) + " = " + fmt(gradNorm / reference) + "x the reference " + fmt(reference)
                + (gradNorm <= gradientTolerance * reference ? " (a critical point: below " + fmt(gradientTolerance) + "x)"
                : ", times the parameters' norm " + fmt(DenseVectors.norm(flat(parameters))) + " below " + fmt(gradientTolerance)
                + "x the loss (a critical point on the loss's own scale: the gradient was tiny from the start)");
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

    private Classification moving(HessianVectorProduct h, double gradNorm, double reference, List<double[]> updates, RunFacts facts, long step,
                                  double sharpnessLimit) {
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
        boolean overshoots = !(facts != null && facts.adaptive()) && lr * stepScale * top.value() > overshoot;
        String gradient = "gradient norm " + fmt(gradNorm) + " = " + fmt(gradNorm / reference) + "x the reference: not a critical point";
        double ringing = ring.flipShare(lr * stepScale * top.value());
        boolean bouncing = pairs >= 2 && flipShare > flipFraction * ringing && share >= minShare && overshoots;
        if (!bouncing) {
            if (!overshoots) return new Classification("not_critical", gradNorm, Double.NaN, top.value(), flipShare, Optional.empty());
            return floorCrawl(h, updates, top.value(), gradient, lr, stepScale, facts, step)
                    .map(f -> new Classification("ravine", gradNorm, Double.NaN, top.value(), flipShare, Optional.of(f)))
                    .orElseGet(() -> new Classification("not_critical", gradNorm, Double.NaN, top.value(), flipShare, Optional.empty()));
        }
        String bounce = "the last " + updates.size() + " updates flip sign along the sharpest direction (top Hessian eigenvalue " + fmt(top.value())
                + ") in " + flips + " of " + pairs + " steps; that direction carries " + fmt(100 * share) + "% of each update" + rotation(ringing);
        if (pastTheEdge(top.value(), sharpnessLimit)) {
            return new Classification("lr_too_high", gradNorm, Double.NaN, top.value(), flipShare,
                    Optional.of(beyondTheEdge(gradient, bounce, top.value(), sharpnessLimit, lr, step)));
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(gradient);
        evidence.add(bounce);
        evidence.add(stepTimesSharpness(lr, stepScale, top.value()) + ": above " + fmt(overshoot) + " each step overshoots the valley floor along that"
                + " direction (gradient descent diverges above 2)");
        if (Double.isFinite(sharpnessLimit) && top.value() > sharpnessLimit) {
            evidence.add("top Hessian eigenvalue " + fmt(top.value()) + " is " + fmt(top.value() / sharpnessLimit) + "x the optimizer's stability edge "
                    + fmt(sharpnessLimit) + ": within " + fmt(EDGE_HOVER) + "x, where training at the edge of stability holds it, the walls cap the step");
        }
        Finding f = new Finding("ravine", "Bouncing across a ravine", Severity.WARNING, step, step, List.of(), evidence,
                "The loss is flat along the run but the gradient is not small: the iterate oscillates across the steep walls of an elongated"
                        + " valley instead of moving along its floor (note 001: training stuck is not a small gradient).", ravineRemedies(lr, facts));
        return new Classification("ravine", gradNorm, Double.NaN, top.value(), flipShare, Optional.of(f));
    }

    /**
     * The floor of a ravine seen without a bounce: a full batch has no noise to keep the steep direction excited, so its
     * oscillation dies out and no update flips sign, yet the run still crawls. The step already reaches the walls' limit
     * (lr x sharpness above {@code overshoot}), and the run's net move over its last updates points along a direction at
     * least {@value #FLOOR_FLATNESS}x flatter than the walls (its curvature d.Hd / d.d, one Hessian-vector product): a step the
     * walls allow moves the loss along the floor by at most 2 / {@value #FLOOR_FLATNESS} of what it could (the rate of
     * gradient descent on a quadratic is lr x curvature per step), so the run needs hundreds of steps to get anywhere,
     * and a larger learning rate would diverge across the walls. In a network's training the gradient, and with it the
     * move, lies mostly in the top eigenspace (Gur-Ari et al. 2018), so its curvature is a sizeable share of the top
     * eigenvalue: the ratio is the signature of the ill-conditioned valley itself.
     */
    private Optional<Finding> floorCrawl(HessianVectorProduct h, List<double[]> updates, double sharpness, String gradient, double lr,
                                         double stepScale, RunFacts facts, long step) {
        double[] d = netMove(updates);
        if (!(DenseVectors.norm(d) > 0)) return Optional.empty();
        double floor = DenseVectors.dot(d, h.apply(d)) / DenseVectors.dot(d, d);
        if (!(sharpness > 0) || !(floor * FLOOR_FLATNESS <= sharpness)) return Optional.empty();
        List<String> evidence = List.of(gradient,
                "curvature along the run's net move over its last " + updates.size() + " updates " + fmt(floor) + ", " + fmt(sharpness / Math.max(floor, Double.MIN_NORMAL)) + "x below the top Hessian"
                        + " eigenvalue " + fmt(sharpness) + ": what is left to descend lies along a floor far flatter than the walls",
                stepTimesSharpness(lr, stepScale, sharpness) + ": above " + fmt(overshoot) + " the step already spans the walls, so a longer one would"
                        + " diverge across them while along the floor each step gains about lr x " + fmt(floor) + " = " + fmt(lr * stepScale * floor));
        return Optional.of(new Finding("ravine", "Crawling along the floor of a ravine", Severity.WARNING, step, step, List.of(), evidence,
                "The valley is elongated: the steep walls cap the learning rate, and at that rate the descent along the flat floor is"
                        + " negligible per step, so the loss crawls down (note 001: an ill-conditioned surface; training slow is not a small"
                        + " gradient).", ravineRemedies(lr, facts)));
    }

    /**
     * The run's net move over its last updates (their sum): the direction it actually travels. The probe batch's own
     * gradient is not it, since the probe batch's optimum lies elsewhere than the training set's (a steep direction at
     * rest on the whole set is not at rest on a sample of it), and a bounce across the walls cancels out of the sum.
     */
    private static double[] netMove(List<double[]> updates) {
        if (updates.isEmpty()) return new double[0];
        double[] sum = new double[updates.getFirst().length];
        for (double[] u : updates) DenseVectors.addScaled(sum, 1, u);
        return sum;
    }

    /** Under momentum, what its rotation predicts for the flips (empty for gradient descent, whose bounce flips every pair). */
    private String rotation(double ringing) {
        if (!ring.moving()) return "";
        return "; under heavy-ball momentum " + fmt(ring.beta()) + " the bounce is a rotation of " + fmt(ringing) + " pi per step, which flips "
                + fmt(100 * ringing) + "% of the pairs";
    }

    /** "lr x sharpness = ..." (with the clip's scale of the step when it scaled it down). */
    private static String stepTimesSharpness(double lr, double stepScale, double sharpness) {
        if (!(stepScale < 1)) return "lr x sharpness = " + fmt(lr * sharpness);
        return "lr x clip scale x sharpness = " + fmt(lr) + " x " + fmt(stepScale) + " x " + fmt(sharpness) + " = " + fmt(lr * stepScale * sharpness);
    }

    /**
     * Whether the probe batch's top eigenvalue lies beyond the optimizer's stability edge by more than the edge's own
     * hover ({@value #EDGE_HOVER}x): gradient descent that trains at the edge of stability keeps its sharpness at and a
     * little above the edge (Cohen et al. 2021), and one fixed batch's Hessian is a sample of the training set's, so a
     * reading a few percent past the edge is the edge itself, where a ravine's step lives (SGD at lr 0.9 on a condition-1200
     * regression, lr x sharpness 1.8 on the whole set, read 1.07x the edge on its probe batch and was named lr_too_high
     * while whitening alone trained it to 1e-12). False without a known edge.
     */
    static boolean pastTheEdge(double sharpness, double limit) {
        return Double.isFinite(limit) && sharpness > EDGE_HOVER * limit;
    }

    /** How far past the stability edge a sharpness reading still counts as at the edge. */
    static final double EDGE_HOVER = 1.2;

    /** How much flatter than the walls the floor must be for a step at the walls' limit to crawl along it. */
    static final double FLOOR_FLATNESS = 100;

    /**
     * A bounce whose sharpness is beyond the optimizer's stability edge is no ravine the step can live in: gradient
     * descent (and heavy ball) diverges along that direction at this learning rate, and only the loss's nonlinearity
     * keeps the bouncing iterate from flying off. What must change is the step: lr_too_high, not the surface's shape.
     */
    private static Finding beyondTheEdge(String gradient, String bounce, double sharpness, double limit, double lr, long step) {
        List<String> evidence = List.of(gradient, bounce, "top Hessian eigenvalue " + fmt(sharpness) + " is " + fmt(sharpness / limit)
                + "x the optimizer's stability edge " + fmt(limit) + " at the current learning rate: along that direction each step lands"
                + " farther from the floor than it started");
        List<Remedy> remedies = new ArrayList<>();
        if (Double.isFinite(lr)) {
            double fits = lr * limit / sharpness / 2;
            remedies.add(Remedies.learningRate(lr, Math.min(lr / 3, fits), "half the rate at which this sharpness is stable stops the overshoot"));
        }
        remedies.add(Remedies.clipGlobalNorm(1.0, "clipping bounds each step whatever the gradient does"));
        return new Finding("lr_too_high", "Learning rate too high (beyond the stability edge)", Severity.WARNING, step, step, List.of(), evidence,
                "The loss is flat because the iterate bounces across a direction curved more than this learning rate can follow: the step"
                        + " is longer than the optimizer's stability limit along it (2 / sharpness for gradient descent), so it overshoots"
                        + " instead of descending (edge of stability, Cohen et al. 2021).", remedies);
    }

    private static List<Remedy> ravineRemedies(double lr, RunFacts facts) {
        List<Remedy> remedies = new ArrayList<>();
        Remedies.adam(facts, "per-parameter learning rates take long steps along the flat floor and short ones across the walls (note 001)")
                .ifPresent(remedies::add);
        if (facts != null) {
            Remedies.momentum(facts, "momentum averages out the back-and-forth across the ravine and accumulates along it").ifPresent(remedies::add);
        }
        if (Double.isFinite(lr)) remedies.add(Remedies.learningRate(lr, lr / 3, "shorter steps stop the bouncing between the walls"));
        Remedies.standardize(facts, "standardized features round the loss surface, shortening the ravine").ifPresent(remedies::add);
        return remedies;
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
