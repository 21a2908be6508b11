package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/**
 * Binary cross-entropy on logits: softplus(x) - x t, which equals -[t log sigmoid(x) + (1-t) log(1-sigmoid(x))]
 * without ever taking the log of a rounded-to-zero probability. With {@code posWeight} p (one per output column,
 * broadcast over the last axis as torch's pos_weight) the positive term is weighted:
 * -[p t log sigmoid(x) + (1-t) log(1-sigmoid(x))] = (1-t) x + (1 + (p-1) t) softplus(-x).
 */
public final class BceWithLogitsLoss implements Loss {
    private final Tensor posWeight;
    private final Reduction reduction;

    public BceWithLogitsLoss() {
        this(null, Reduction.MEAN);
    }

    /** @param posWeight weights of the positive class per output (last axis), or null for 1 */
    public BceWithLogitsLoss(float[] posWeight, Reduction reduction) {
        if (posWeight != null) {
            for (int i = 0; i < posWeight.length; i++) {
                if (!(posWeight[i] >= 0) || !Float.isFinite(posWeight[i])) {
                    throw new IllegalArgumentException("pos_weight[" + i + "] must be a finite number >= 0, got " + posWeight[i]);
                }
            }
        }
        this.posWeight = posWeight == null ? null : Tensor.of(posWeight.clone(), posWeight.length);
        this.reduction = reduction;
    }

    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        Tensor t = target.reshape(logits.shape());
        if (posWeight == null) return reduction.apply(logits.softplus().sub(logits.mul(t)));
        if (logits.dim() == 0 || logits.size(-1) != posWeight.numel()) {
            throw new IllegalArgumentException("pos_weight has " + posWeight.numel() + " values but the output has "
                    + (logits.dim() == 0 ? 1 : logits.size(-1)) + " columns; give one weight per output");
        }
        // (1 + (p - 1) t) is a constant of the targets, so the derivative stays that of softplus
        Tensor factor = t.mul(posWeight.sub(1f)).add(1f);
        return reduction.apply(t.rsub(1f).mul(logits).add(logits.neg().softplus().mul(factor)));
    }

    @Override
    public String name() {
        return "bce_with_logits";
    }
}
