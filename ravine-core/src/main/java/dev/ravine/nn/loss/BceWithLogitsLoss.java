package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/**
 * Binary cross-entropy on logits: mean(softplus(x) - x t), which equals -[t log sigmoid(x) + (1-t) log(1-sigmoid(x))]
 * without ever taking the log of a rounded-to-zero probability.
 */
public final class BceWithLogitsLoss implements Loss {
    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        Tensor t = target.reshape(logits.shape());
        return logits.softplus().sub(logits.mul(t)).mean();
    }

    @Override
    public String name() {
        return "bce_with_logits";
    }
}
