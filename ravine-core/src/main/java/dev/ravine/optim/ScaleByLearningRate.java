package dev.ravine.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * update *= -lr(step) * lrScale: the last link, turning a descent direction into a parameter change. The scale is
 * the trainer's control, used by the doctor's repairs to lower the rate without rebuilding the optimizer. A stateful
 * schedule (reduce-on-plateau) exposes its state through {@link Schedule#counters()}; this link's state carries those
 * counters as "schedule.NAME", so checkpoints save and restore the schedule with the optimizer.
 */
public record ScaleByLearningRate(Schedule schedule) implements GradientTransform, LearningRateLink {
    @Override
    public TransformState init(List<float[]> params) {
        Map<String, long[]> scheduleState = schedule.counters();
        if (scheduleState.isEmpty()) return TransformState.EMPTY;
        Map<String, long[]> counters = new LinkedHashMap<>();
        for (var e : scheduleState.entrySet()) counters.put("schedule." + e.getKey(), e.getValue());
        return new TransformState() {
            @Override
            public Map<String, float[][]> arrays() {
                return Map.of();
            }

            @Override
            public Map<String, long[]> counters() {
                return counters;
            }
        };
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        float factor = factor(context);
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] u = updates[p];
            for (int i = 0; i < u.length; i++) u[i] *= factor;
        }
    }

    /** The step's multiplier, -lr(step) * lrScale rounded once to float (what {@link #update} multiplies by). */
    float factor(StepContext context) {
        return (float) (-schedule.learningRate(context.step()) * context.lrScale());
    }

    @Override
    public String describe() {
        return "lr(" + schedule.describe() + ")";
    }
}
