package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * Resilient backpropagation (Riedmiller and Braun, 1993) in torch.optim.Rprop's form: each weight has its own step
 * size, starting at the learning rate; it is multiplied by eta_plus when the gradient keeps its sign, by eta_minus
 * when it flips (and that step's gradient is then taken as zero, so the weight does not move and the next step does
 * not see a flip), then clamped to [min, max]. The update is sign(g) * step size; the step is taken against it by
 * a following {@link ScaleByLearningRate} of 1, so only the trainer's learning-rate scale applies there.
 */
public record ScaleByRprop(double initialStep, double etaMinus, double etaPlus, double minStep, double maxStep)
        implements GradientTransform {
    public ScaleByRprop {
        if (!(initialStep > 0)) throw new IllegalArgumentException("lr must be > 0, got " + initialStep);
        if (!(etaMinus > 0 && etaMinus < 1 && etaPlus > 1)) {
            throw new IllegalArgumentException("etas must satisfy 0 < eta_minus < 1 < eta_plus, got (" + etaMinus + ", " + etaPlus + ")");
        }
        if (!(minStep >= 0 && maxStep >= minStep)) throw new IllegalArgumentException("step_sizes must satisfy 0 <= min <= max, got (" + minStep + ", " + maxStep + ")");
    }

    public record State(float[][] prev, float[][] stepSize, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return StateArrays.named("prev", prev, "step_size", stepSize);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        float[][] steps = StateArrays.zerosLike(params);
        for (float[] s : steps) java.util.Arrays.fill(s, (float) initialStep);
        return new State(StateArrays.zerosLike(params), steps, new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        float up = (float) etaPlus, down = (float) etaMinus, lo = (float) minStep, hi = (float) maxStep;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            s.count[p]++;
            float[] g = updates[p], prev = s.prev[p], size = s.stepSize[p];
            for (int i = 0; i < g.length; i++) {
                float agreement = g[i] * prev[i];
                float factor = agreement > 0 ? up : agreement < 0 ? down : 1f;
                size[i] = Math.min(Math.max(size[i] * factor, lo), hi);
                float gi = factor == down ? 0f : g[i];
                prev[i] = gi;
                g[i] = Math.signum(gi) * size[i];
            }
        }
    }

    @Override
    public String describe() {
        return "rprop(lr " + initialStep + ", etas (" + etaMinus + ", " + etaPlus + "), step_sizes (" + minStep + ", " + maxStep + "))";
    }
}
