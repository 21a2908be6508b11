package dev.ravine.doctor.curvature;

import dev.ravine.optim.AddDecayedWeights;
import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.ClipByLayerNorm;
import dev.ravine.optim.ClipByValue;
import dev.ravine.optim.GradientTransform;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.ScaleByAdam;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.optim.TraceMomentum;
import java.util.List;
import java.util.Map;

/**
 * Which edge-of-stability threshold applies to an optimizer, read from its chain of links, and (for Adam) where its
 * preconditioner lives in the optimizer state. On a quadratic with curvature lambda along some direction:
 * <ul>
 *   <li>gradient descent diverges along it when lambda > 2/lr (Cohen et al., ICLR 2021);</li>
 *   <li>heavy-ball momentum beta (PyTorch's SGD, dampening d, so the step is (1 - d) lr) when
 *       lambda > (2 + 2 beta) / ((1 - d) lr);</li>
 *   <li>Adam, with its preconditioner P = diag(sqrt(v_hat) + eps) held fixed, when the largest eigenvalue of P^-1 H
 *       exceeds (2 + 2 beta1) / ((1 - beta1) lr), 38/lr at beta1 = 0.9 (Cohen et al. 2022, arXiv 2207.14484).</li>
 * </ul>
 * Any other optimizer (Adagrad, RMSprop, Nesterov momentum, parameter groups, L-BFGS, ...) gets {@link Kind#NONE}: its raw
 * sharpness is still measured, but no threshold is claimed for it. Clipping and weight decay links do not change the
 * kind (they do not rescale the step per parameter).
 *
 * @param beta      the momentum or beta1 (0 for gradient descent)
 * @param dampening heavy-ball dampening (0 otherwise)
 * @param adamLink  the state-name prefix of the Adam link ("1." for the second link of the top chain), or null
 */
public record StabilityRule(Kind kind, double beta, double dampening, ScaleByAdam adam, String adamLink) {
    public enum Kind { GRADIENT_DESCENT, HEAVY_BALL, ADAM, NONE }

    public static StabilityRule of(Optimizer optimizer) {
        // a closure method (L-BFGS) chooses its own step lengths: no learning-rate threshold applies
        if (optimizer.needsClosure()) return new StabilityRule(Kind.NONE, 0, 0, null, null);
        Scan scan = new Scan();
        scan.visit(optimizer.transform(), "");
        if (scan.unknown || scan.momentum != null && scan.adam != null) return new StabilityRule(Kind.NONE, 0, 0, null, null);
        if (scan.adam != null) return new StabilityRule(Kind.ADAM, scan.adam.beta1(), 0, scan.adam, scan.adamLink);
        if (scan.momentum == null || scan.momentum.momentum() == 0) return new StabilityRule(Kind.GRADIENT_DESCENT, 0, 0, null, null);
        if (scan.momentum.nesterov()) return new StabilityRule(Kind.NONE, 0, 0, null, null);
        return new StabilityRule(Kind.HEAVY_BALL, scan.momentum.momentum(), scan.momentum.dampening(), null, null);
    }

    /** The threshold for the raw Hessian's top eigenvalue at learning rate {@code lr}; NaN where none applies. */
    public double sharpnessThreshold(double lr) {
        return switch (kind) {
            case GRADIENT_DESCENT -> PreconditionedSharpness.gradientDescentThreshold(lr);
            case HEAVY_BALL -> PreconditionedSharpness.heavyBallThreshold(lr * (1 - dampening), beta);
            case ADAM, NONE -> Double.NaN;
        };
    }

    /** The threshold for lambda_max(P^-1 H) at learning rate {@code lr}; NaN unless the optimizer is Adam. */
    public double preconditionedThreshold(double lr) {
        return kind == Kind.ADAM ? PreconditionedSharpness.adamThreshold(lr, beta) : Double.NaN;
    }

    /**
     * Adam's current preconditioner diag(sqrt(v / (1 - beta2^t)) + eps), flat over the optimizer's parameters in its
     * order (AMSGrad: the running maximum of v). Null before Adam's first step (no v yet), or for another kind.
     */
    public double[] preconditioner(Optimizer optimizer) {
        if (kind != Kind.ADAM) return null;
        Map<String, float[][]> arrays = optimizer.state().arrays();
        float[][] v = arrays.get(adamLink + (adam.amsgrad() ? "max_exp_avg_sq" : "exp_avg_sq"));
        long[] steps = optimizer.state().counters().get(adamLink + "step");
        if (v == null || steps == null) return null;
        int n = 0;
        for (float[] p : v) n += p.length;
        double[] diagonal = new double[n];
        int at = 0;
        for (int p = 0; p < v.length; p++) {
            if (steps[p] == 0) return null;
            double correction = 1 - Math.pow(adam.beta2(), steps[p]);
            for (float x : v[p]) diagonal[at++] = Math.sqrt(x / correction) + adam.eps();
        }
        return diagonal;
    }

    /** Walks the chain, noting the Adam and momentum links and anything that makes the rule unknown. */
    private static final class Scan {
        ScaleByAdam adam;
        String adamLink;
        TraceMomentum momentum;
        boolean unknown;

        void visit(GradientTransform t, String prefix) {
            switch (t) {
                case Chain c -> {
                    List<GradientTransform> links = c.links();
                    for (int i = 0; i < links.size(); i++) visit(links.get(i), prefix + i + ".");
                }
                case ScaleByAdam a -> {
                    if (adam != null) unknown = true;
                    adam = a;
                    adamLink = prefix;
                }
                case TraceMomentum m -> {
                    if (momentum != null) unknown = true;
                    momentum = m;
                }
                case ScaleByLearningRate s -> {}
                case AddDecayedWeights w -> {}
                case ClipByGlobalNorm c -> {}
                case ClipByLayerNorm c -> {}
                case ClipByValue c -> {}
                default -> unknown = true;
            }
        }
    }
}
