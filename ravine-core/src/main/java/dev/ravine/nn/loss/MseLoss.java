package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/** (output - target)^2, reduced by the mean (default), the sum or not at all. */
public final class MseLoss implements Loss {
    private final Reduction reduction;

    public MseLoss() {
        this(Reduction.MEAN);
    }

    public MseLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor compute(Tensor output, Tensor target) {
        return reduction.apply(output.sub(target.reshape(output.shape())).square());
    }

    @Override
    public String name() {
        return "mse";
    }
}
