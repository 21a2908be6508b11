package dev.ravine.optim;

import java.util.List;

/**
 * update = clamp(update, -clip, clip), element-wise: torch.nn.utils.clip_grad_value_. Put it first in the chain
 * (torch users clip the gradients before optimizer.step()).
 */
public record ClipByValue(double clip) implements GradientTransform {
    public ClipByValue {
        if (!(clip > 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("clip value must be a positive finite number, got " + clip);
    }

    @Override
    public TransformState init(List<float[]> params) {
        return TransformState.EMPTY;
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        float c = (float) clip;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] u = updates[p];
            for (int i = 0; i < u.length; i++) u[i] = Math.max(-c, Math.min(c, u[i]));
        }
    }

    @Override
    public String describe() {
        return "clip_value(" + clip + ")";
    }
}
