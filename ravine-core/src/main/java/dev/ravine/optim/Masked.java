package dev.ravine.optim;

import java.util.List;

/**
 * optax's {@code masked}: {@code inner} transforms only the parameters whose mask entry is true; the others pass
 * through it untouched (it sees them as inactive, exactly like parameters without a gradient, so its state for them
 * never advances). The inner state is made for all parameters, so the state arrays keep the optimizer's parameter
 * indexing and checkpoints restore as usual. {@link ParamGroups} builds per-group optimizers from it.
 */
public record Masked(GradientTransform inner, boolean[] mask) implements GradientTransform {
    public Masked {
        mask = mask.clone();
    }

    @Override
    public TransformState init(List<float[]> params) {
        if (params.size() != mask.length && !params.isEmpty()) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries for " + params.size() + " parameters");
        }
        return inner.init(params);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        boolean[] active = new boolean[updates.length];
        for (int p = 0; p < active.length; p++) active[p] = mask[p] && context.isActive(p);
        inner.update(updates, state, params, new StepContext(context.step(), context.lrScale(), active));
    }

    @Override
    public String describe() {
        int n = 0;
        for (boolean b : mask) if (b) n++;
        return "masked(" + n + "/" + mask.length + ": " + inner.describe() + ")";
    }
}
