package dev.ravine.nn;

import dev.ravine.autograd.GradMode;
import dev.ravine.tensor.Tensor;

/**
 * Weight normalization (Salimans and Kingma, 2016): the weight is {@code w = g * v / ||v||}, the norm taken over every
 * axis but the output axis 0, so each output unit's weight vector has length g whatever the direction v learns. As
 * torch.nn.utils.weight_norm(module, dim=0): parameters {@code weight_g} of shape [out, 1, ...] and {@code weight_v}
 * of the weight's shape, initialized so that w equals the layer's initial weight (g = ||w||, v = w).
 */
final class WeightNorm extends LayerWeight {
    private final Tensor g, v;
    private final int[] unitAxes;

    WeightNorm(Module owner, Tensor initial) {
        int rank = initial.dim();
        unitAxes = new int[rank - 1];
        for (int i = 1; i < rank; i++) unitAxes[i - 1] = i;
        Tensor norm;
        try (var scope = GradMode.noGrad()) {
            norm = rowNorm(initial);
        }
        g = owner.registerParameter("weight_g", Tensor.of(norm.toArray(), norm.shape()));
        v = owner.registerParameter("weight_v", initial);
    }

    private Tensor rowNorm(Tensor t) {
        return t.square().sum(unitAxes, true).sqrt();
    }

    @Override
    Tensor compute(boolean training) {
        // v * (g / ||v||), in torch's order of operations, so float results agree with torch's
        return v.mul(g.div(rowNorm(v)));
    }

    @Override
    WeightForm form() {
        return WeightForm.WEIGHT_NORM;
    }
}
