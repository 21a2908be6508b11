package dev.ravine.optim;

/**
 * L1 regularization as a proximal step: after each update, {@code w = sign(w) max(|w| - lr * lambda, 0)}
 * (soft-thresholding, the proximal operator of {@code lr * lambda * ||w||_1}), which sets small weights to exact
 * zeros, unlike the L1 subgradient in the loss ({@link Regularization#l1}), whose weights only oscillate around zero.
 * Acts on weights (rank >= 2), not on biases or normalization gains. lr is the step's learning rate including the
 * schedule and the trainer's scale; with adaptive optimizers (Adam) it is the base step size, as in proximal Adam
 * variants that ignore the preconditioner.
 */
public record ProximalL1(double lambda) implements ParamConstraint {
    public ProximalL1 {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("l1_proximal must be a finite number >= 0, got " + lambda);
    }

    @Override
    public void apply(String name, int[] shape, float[] values, double lr) {
        if (!ParamConstraint.isWeight(name, shape)) return;
        float t = (float) (lr * lambda);
        for (int i = 0; i < values.length; i++) {
            float w = values[i];
            float m = Math.abs(w) - t;
            values[i] = m > 0 ? Math.copySign(m, w) : 0f;
        }
    }

    @Override
    public String describe() {
        return "l1_proximal(" + lambda + ")";
    }
}
