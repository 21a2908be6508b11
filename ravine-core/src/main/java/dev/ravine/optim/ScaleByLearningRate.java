package dev.ravine.optim;

import java.util.List;

/**
 * update *= -lr(step) * lrScale: the last link, turning a descent direction into a parameter change. The scale is
 * the trainer's control, used by the doctor's repairs to lower the rate without rebuilding the optimizer.
 */
public record ScaleByLearningRate(Schedule schedule) implements GradientTransform, LearningRateLink {
    @Override
    public TransformState init(List<float[]> params) {
        return TransformState.EMPTY;
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        float factor = (float) (-schedule.learningRate(context.step()) * context.lrScale());
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] u = updates[p];
            for (int i = 0; i < u.length; i++) u[i] *= factor;
        }
    }

    @Override
    public String describe() {
        return "lr(" + schedule.describe() + ")";
    }
}
