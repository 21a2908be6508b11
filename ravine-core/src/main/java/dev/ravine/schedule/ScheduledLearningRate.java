package dev.ravine.schedule;

import dev.ravine.optim.GradientTransform;
import dev.ravine.optim.Schedule;
import dev.ravine.optim.StepContext;
import dev.ravine.optim.TransformState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code update *= -lr(step) * lrScale}, exactly as {@link dev.ravine.optim.ScaleByLearningRate}, with the schedule's
 * state ({@link Schedule#counters()}, live arrays) exposed as this link's counters "schedule.NAME", so that
 * {@link dev.ravine.io.Checkpoint} saves and restores a stateful schedule (ReduceOnPlateau) with the optimizer.
 */
public record ScheduledLearningRate(Schedule schedule) implements GradientTransform, dev.ravine.optim.LearningRateLink {
    @Override
    public TransformState init(List<float[]> params) {
        Map<String, long[]> counters = new LinkedHashMap<>();
        for (var e : schedule.counters().entrySet()) counters.put("schedule." + e.getKey(), e.getValue());
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
