package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/** Quadratic within delta of the target, linear beyond (torch.nn.HuberLoss): robust to outliers. */
public final class HuberLoss implements Loss {
    private final float delta;

    public HuberLoss(double delta) {
        if (!(delta > 0)) throw new IllegalArgumentException("huber delta must be positive, got " + delta);
        this.delta = (float) delta;
    }

    @Override
    public Tensor compute(Tensor output, Tensor target) {
        Tensor d = output.sub(target.reshape(output.shape()));
        Tensor a = d.abs();
        Tensor quadratic = d.square().mul(0.5f);
        Tensor linear = a.sub(0.5f * delta).mul(delta);
        return Tensor.where(Tensor.scalar(delta).gt(a), quadratic, linear).mean();
    }

    @Override
    public String name() {
        return "huber";
    }
}
