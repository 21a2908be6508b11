package dev.ravine.optim;

import dev.ravine.linalg.DenseVectors;
import java.util.List;

/**
 * Per-parameter ("per layer") clipping: each parameter's update is scaled by {@code maxNorm / (||u||_2 + 1e-6)} when
 * that is below 1, independently of the others (clip_grad_norm_ applied to one tensor at a time). Put it first in the
 * chain.
 */
public record ClipByLayerNorm(double maxNorm) implements GradientTransform {
    public ClipByLayerNorm {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) throw new IllegalArgumentException("max_norm must be a positive finite number, got " + maxNorm);
    }

    @Override
    public TransformState init(List<float[]> params) {
        return TransformState.EMPTY;
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] u = updates[p];
            double scale = maxNorm / (DenseVectors.norm(u) + 1e-6);
            if (!(scale < 1)) continue;
            float f = (float) scale;
            for (int i = 0; i < u.length; i++) u[i] *= f;
        }
    }

    @Override
    public String describe() {
        return "clip_layer_norm(" + maxNorm + ")";
    }
}
