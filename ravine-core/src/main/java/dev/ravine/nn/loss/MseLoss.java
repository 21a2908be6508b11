package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;

/** mean((output - target)^2). */
public final class MseLoss implements Loss {
    @Override
    public Tensor compute(Tensor output, Tensor target) {
        return output.sub(target.reshape(output.shape())).square().mean();
    }

    @Override
    public String name() {
        return "mse";
    }
}
