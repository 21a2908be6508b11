package dev.ravine.optim;

import dev.ravine.kernel.AdamKernel;
import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * Adam's step as one pass per parameter (the chain adam -> lr, torch.optim.Adam without weight decay: the optimizer
 * most runs use). The chain would copy the gradient into the update, precondition it, scale it by -lr, then add it to
 * the weight: four passes over arrays the size of the model, each of which misses the cache on a model of a few
 * megabytes. {@link AdamKernel#step} does the same float operations in one pass, so the bits are the chain's.
 * Runs with the per-link finite checks on (the doctor's NaN replay) take the chain, which checks each link.
 */
final class FusedAdamStep {
    private final ScaleByAdam adam;
    private final ScaleByLearningRate lr;

    private FusedAdamStep(ScaleByAdam adam, ScaleByLearningRate lr) {
        this.adam = adam;
        this.lr = lr;
    }

    /** The fused step for a chain that is exactly adam -> lr, else null. */
    static FusedAdamStep of(GradientTransform transform) {
        if (transform instanceof Chain c && c.links().size() == 2 && c.links().get(0) instanceof ScaleByAdam a
                && c.links().get(1) instanceof ScaleByLearningRate l) {
            return new FusedAdamStep(a, l);
        }
        return null;
    }

    /**
     * Updates the moments, writes each active parameter's change into {@code updates} and adds it to the weights, as
     * the chain's update followed by the optimizer's weight update would. Inactive parameters are left alone.
     */
    void apply(List<Tensor> params, float[][] updates, TransformState state, float[][] weights, StepContext context) {
        List<TransformState> states = ((Chain.ChainState) state).states();
        ScaleByAdam.State s = (ScaleByAdam.State) states.get(0);
        float factor = lr.factor(context);
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] g = params.get(p).grad().values();
            AdamKernel.step(g, s.mu()[p], s.nu()[p], adam.amsgrad() ? s.nuMax()[p] : null, adam.advance(s, p, context), factor, updates[p], weights[p]);
        }
    }
}
