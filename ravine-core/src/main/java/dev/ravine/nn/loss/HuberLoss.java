package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/** Quadratic within delta of the target, linear beyond (torch.nn.HuberLoss): robust to outliers. */
public final class HuberLoss implements Loss {
    private final float delta;
    private final Reduction reduction;

    public HuberLoss(double delta) {
        this(delta, Reduction.MEAN);
    }

    public HuberLoss(double delta, Reduction reduction) {
        if (!(delta > 0)) throw new IllegalArgumentException("huber delta must be positive, got " + delta);
        this.delta = (float) delta;
        this.reduction = reduction;
    }

    @Override
    public Tensor compute(Tensor output, Tensor target) {
        Tensor d = output.sub(target.reshape(output.shape()));
        Tensor a = d.abs();
        Tensor quadratic = d.square().mul(0.5f);
        Tensor linear = a.sub(0.5f * delta).mul(delta);
        return reduction.apply(Tensor.where(Tensor.scalar(delta).gt(a), quadratic, linear));
    }

    @Override
    public String name() {
        return "huber";
    }
}
