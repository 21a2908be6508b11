package dev.ravine.doctor.curvature;

import dev.ravine.optim.AddDecayedWeights;
import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.ClipByLayerNorm;
import dev.ravine.optim.ClipByValue;
import dev.ravine.optim.DiagonalPreconditioner;
import dev.ravine.optim.GradientTransform;
import dev.ravine.optim.LinkState;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.ScaleByAdam;
import dev.ravine.optim.ScaleByAdamax;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.optim.ScaleByNadam;
import dev.ravine.optim.ScaleByRadam;
import dev.ravine.optim.TraceMomentum;
import java.util.List;

/**
 * Which edge-of-stability threshold applies to an optimizer, read from its chain of links, and which link
 * preconditions its steps ({@link DiagonalPreconditioner}: Adam, AdamW, AMSGrad, NAdam, RAdam, AdaMax, RMSprop, Adagrad,
 * Adadelta). On a quadratic with curvature lambda along some direction:
 * <ul>
 *   <li>gradient descent diverges along it when lambda > 2/lr (Cohen et al., ICLR 2021);</li>
 *   <li>heavy-ball momentum beta (PyTorch's SGD, dampening d, so the step is (1 - d) lr) when
 *       lambda > (2 + 2 beta) / ((1 - d) lr);</li>
 *   <li>Adam, with its preconditioner P = diag(sqrt(v_hat) + eps) held fixed, when the largest eigenvalue of P^-1 H
 *       exceeds (2 + 2 beta1) / ((1 - beta1) lr), 38/lr at beta1 = 0.9 (Cohen et al. 2022, arXiv 2207.14484).</li>
 * </ul>
 * A preconditioned method with P held fixed is one of these on P^-1 H: Adam's form (an exponential moving average of
 * the gradient, bias-corrected, over P: Adam, AMSGrad, AdaMax, RAdam), gradient descent (RMSprop, Adagrad, Adadelta) or
 * heavy ball (RMSprop with momentum); NAdam's Nesterov weighting has no such threshold claimed, but its P^-1 H is still
 * measured. Raw sharpness gets a threshold only for plain gradient descent and heavy ball ({@link #kind}); anything else
 * (Nesterov momentum, parameter groups, L-BFGS, ...) gets {@link Kind#NONE}. Clipping and weight decay links do not
 * change the rule (they do not rescale the step per parameter).
 *
 * @param beta            the momentum or beta1 (0 for gradient descent) of the raw rule
 * @param dampening       heavy-ball dampening (0 otherwise)
 * @param preconditioning the preconditioning link and the rule for P^-1 H, or null when the steps are not preconditioned
 */
public record StabilityRule(Kind kind, double beta, double dampening, Preconditioning preconditioning) {
    public enum Kind { GRADIENT_DESCENT, HEAVY_BALL, ADAM, NONE }

    /**
     * @param link   the link that divides the steps by P
     * @param prefix where it sits in the chain, as the checkpoint names its state ("1.")
     * @param kind   the threshold rule for lambda_max(P^-1 H) (GRADIENT_DESCENT, HEAVY_BALL, ADAM, or NONE)
     */
    public record Preconditioning(DiagonalPreconditioner link, String prefix, Kind kind, double beta, double dampening) {}

    private static final StabilityRule NO_RULE = new StabilityRule(Kind.NONE, 0, 0, null);

    public static StabilityRule of(Optimizer optimizer) {
        // a closure method (L-BFGS) chooses its own step lengths: no learning-rate threshold applies
        if (optimizer.needsClosure()) return NO_RULE;
        Scan scan = new Scan();
        scan.visit(optimizer.transform(), "");
        if (scan.unknown) return NO_RULE;
        TraceMomentum m = scan.momentum;
        boolean nesterov = m != null && m.momentum() > 0 && m.nesterov();
        if (scan.preconditioner == null) {
            if (m == null || m.momentum() == 0) return new StabilityRule(Kind.GRADIENT_DESCENT, 0, 0, null);
            if (nesterov) return NO_RULE;
            return new StabilityRule(Kind.HEAVY_BALL, m.momentum(), m.dampening(), null);
        }
        Preconditioning p = preconditioning(scan.preconditioner, scan.prefix, m);
        if (p == null) return NO_RULE;
        if (scan.preconditioner instanceof ScaleByAdam a) return new StabilityRule(Kind.ADAM, a.beta1(), 0, p);
        return new StabilityRule(Kind.NONE, 0, 0, p);
    }

    /** The rule on P^-1 H for a preconditioning link followed (or not) by a momentum link; null when they do not combine. */
    private static Preconditioning preconditioning(DiagonalPreconditioner link, String prefix, TraceMomentum m) {
        boolean moving = m != null && m.momentum() > 0;
        return switch (link) {
            // these carry their own first moment: another momentum link on top has no known threshold
            case ScaleByAdam a -> moving ? null : new Preconditioning(link, prefix, Kind.ADAM, a.beta1(), 0);
            case ScaleByAdamax a -> moving ? null : new Preconditioning(link, prefix, Kind.ADAM, a.beta1(), 0);
            case ScaleByRadam a -> moving ? null : new Preconditioning(link, prefix, Kind.ADAM, a.beta1(), 0);
            case ScaleByNadam a -> moving ? null : new Preconditioning(link, prefix, Kind.NONE, a.beta1(), 0);
            // RMSprop, Adagrad, Adadelta: the step is lr g / P, with RMSprop's momentum a heavy ball on top
            default -> !moving ? new Preconditioning(link, prefix, Kind.GRADIENT_DESCENT, 0, 0)
                    : m.nesterov() ? new Preconditioning(link, prefix, Kind.NONE, 0, 0)
                    : new Preconditioning(link, prefix, Kind.HEAVY_BALL, m.momentum(), m.dampening());
        };
    }

    /** The threshold for the raw Hessian's top eigenvalue at learning rate {@code lr}; NaN where none applies. */
    public double sharpnessThreshold(double lr) {
        return threshold(kind, beta, dampening, lr, true);
    }

    /** The threshold for lambda_max(P^-1 H) at learning rate {@code lr}; NaN when the steps are not preconditioned or no rule is known. */
    public double preconditionedThreshold(double lr) {
        return preconditioning == null ? Double.NaN : threshold(preconditioning.kind(), preconditioning.beta(), preconditioning.dampening(), lr, false);
    }

    private static double threshold(Kind kind, double beta, double dampening, double lr, boolean raw) {
        return switch (kind) {
            case GRADIENT_DESCENT -> PreconditionedSharpness.gradientDescentThreshold(lr);
            case HEAVY_BALL -> PreconditionedSharpness.heavyBallThreshold(lr * (1 - dampening), beta);
            case ADAM -> raw ? Double.NaN : PreconditionedSharpness.adamThreshold(lr, beta);
            case NONE -> Double.NaN;
        };
    }

    /** Adam's link (Adam, AdamW, AMSGrad), or null. */
    public ScaleByAdam adam() {
        return preconditioning != null && preconditioning.link() instanceof ScaleByAdam a ? a : null;
    }

    /** Where Adam's link sits in the chain, as the checkpoint names its state ("1."), or null. */
    public String adamLink() {
        return adam() == null ? null : preconditioning.prefix();
    }

    /**
     * The optimizer's current preconditioner P (Adam's diag(sqrt(v / (1 - beta2^t)) + eps), AMSGrad with the running
     * maximum of v; see each {@link DiagonalPreconditioner}), flat over the optimizer's parameters in its order, read
     * from the preconditioning link's typed state. Null before every parameter has stepped, or without preconditioning.
     */
    public double[] preconditioner(Optimizer optimizer) {
        List<DiagonalPreconditioner.Diagonal> perParam = diagonals(optimizer);
        if (perParam == null) return null;
        int n = 0;
        for (DiagonalPreconditioner.Diagonal d : perParam) {
            if (d == null) return null;
            n += d.size();
        }
        double[] diagonal = new double[n];
        int at = 0;
        for (DiagonalPreconditioner.Diagonal d : perParam) for (int i = 0; i < d.size(); i++) diagonal[at++] = d.at(i);
        return diagonal;
    }

    /** The preconditioning link's diagonal for each parameter of {@code optimizer} (null entries: not stepped yet), or null. */
    public List<DiagonalPreconditioner.Diagonal> diagonals(Optimizer optimizer) {
        if (preconditioning == null) return null;
        for (LinkState<DiagonalPreconditioner> found : LinkState.find(optimizer, DiagonalPreconditioner.class)) {
            if (found.link() != preconditioning.link()) continue;
            int count = optimizer.parameterNames().size();
            java.util.ArrayList<DiagonalPreconditioner.Diagonal> out = new java.util.ArrayList<>(count);
            for (int p = 0; p < count; p++) out.add(found.link().diagonal(found.state(), p));
            return out;
        }
        return null;
    }

    /** Walks the chain, noting the preconditioning and momentum links and anything that makes the rule unknown. */
    private static final class Scan {
        DiagonalPreconditioner preconditioner;
        String prefix;
        TraceMomentum momentum;
        boolean unknown;

        void visit(GradientTransform t, String at) {
            switch (t) {
                case Chain c -> {
                    List<GradientTransform> links = c.links();
                    for (int i = 0; i < links.size(); i++) visit(links.get(i), at + i + ".");
                }
                case DiagonalPreconditioner p -> {
                    if (preconditioner != null) unknown = true;
                    preconditioner = p;
                    prefix = at;
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
