package dev.ravine.optim;

import dev.ravine.tensor.Tensor;
import java.util.Map;

/**
 * Regularization as a term of the loss, differentiated by autograd like the data loss. Both act on weights
 * (rank >= 2 parameters; {@link ParamConstraint#isWeight}), never on biases or normalization gains.
 *
 * <p>The options, compared: L2 in the loss ({@link #l2}, gradient lambda w) and coupled weight decay
 * ({@link AddDecayedWeights}, torch's weight_decay) give the same SGD step, but the penalty shows in the training loss
 * and reaches every optimizer through the gradient, so Adam rescales it; decoupled decay (adamw) shrinks weights
 * outside Adam's scaling. L1 in the loss ({@link #l1}, subgradient lambda sign(w), 0 at 0) drives weights towards zero
 * but leaves them oscillating around it; the proximal step ({@link ProximalL1}) gives exact zeros.
 */
public final class Regularization {
    private Regularization() {}

    /** lambda / 2 * sum w^2 over the weights (rank >= 2) of {@code params}. */
    public static Tensor l2(Map<String, Tensor> params, double lambda) {
        Tensor total = null;
        for (var e : params.entrySet()) {
            if (!ParamConstraint.isWeight(e.getKey(), e.getValue().shape())) continue;
            Tensor t = e.getValue().square().sum();
            total = total == null ? t : total.add(t);
        }
        return total == null ? Tensor.scalar(0f) : total.mul((float) (lambda / 2));
    }

    /** lambda * sum |w| over the weights (rank >= 2) of {@code params}. */
    public static Tensor l1(Map<String, Tensor> params, double lambda) {
        Tensor total = null;
        for (var e : params.entrySet()) {
            if (!ParamConstraint.isWeight(e.getKey(), e.getValue().shape())) continue;
            Tensor t = e.getValue().abs().sum();
            total = total == null ? t : total.add(t);
        }
        return total == null ? Tensor.scalar(0f) : total.mul((float) lambda);
    }
}
