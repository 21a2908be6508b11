package dev.ravine.optim;

import java.util.List;

/** update += weightDecay * param: L2 regularization coupled into the gradient, as torch.optim's weight_decay. */
public record AddDecayedWeights(double weightDecay) implements GradientTransform {
    @Override
    public TransformState init(List<float[]> params) {
        return TransformState.EMPTY;
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        if (weightDecay == 0) return;
        float wd = (float) weightDecay;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] u = updates[p], w = params[p];
            for (int i = 0; i < u.length; i++) u[i] += wd * w[i];
        }
    }

    @Override
    public String describe() {
        return "weight_decay(" + weightDecay + ")";
    }
}
