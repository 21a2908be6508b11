package dev.ravine.nn;

import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;

/** [batch, d1, d2, ...] -> [batch, d1*d2*...]. */
public final class Flatten extends Module {
    @Override
    protected Tensor forward(Tensor x) {
        return x.dim() <= 2 ? x : x.flatten(1);
    }

    @Override
    public String kind() {
        return "flatten";
    }

    @Override
    public int[] outputShape(int[] in) {
        return new int[] {Shape.numel(in)};
    }
}
