package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * Per-weight adaptive gains (Hinton, Neural Networks for Machine Learning, lecture 6d; Jacobs, 1988): every weight
 * has a gain starting at 1; when its gradient has the same sign as at its previous step the gain grows by
 * {@code increment} (additive), when the sign flips it shrinks by the factor {@code decay} (multiplicative); a zero
 * product (the first step, or a zero gradient) leaves it unchanged. Gains are clipped to [minGain, maxGain] and
 * multiply the gradient. Place it first, before plain or momentum SGD. Not part of torch.optim.
 */
public record AdaptiveGains(double increment, double decay, double minGain, double maxGain) implements GradientTransform {
    public AdaptiveGains {
        HyperParameters.requireNonNegative("gain increment", increment);
        if (!(decay > 0 && decay <= 1)) throw new IllegalArgumentException("gain decay must be in (0, 1], got " + decay);
        if (!(minGain > 0 && maxGain >= minGain)) throw new IllegalArgumentException("gain range must satisfy 0 < min <= max, got [" + minGain + ", " + maxGain + "]");
    }

    /** Hinton's values: +0.05, *0.95, gains in [0.1, 10]. */
    public static AdaptiveGains hinton() {
        return new AdaptiveGains(0.05, 0.95, 0.1, 10);
    }

    public record State(float[][] gains, float[][] prev) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return StateArrays.named("gain", gains, "prev_grad", prev);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of();
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        float[][] gains = StateArrays.zerosLike(params);
        for (float[] g : gains) java.util.Arrays.fill(g, 1f);
        return new State(gains, StateArrays.zerosLike(params));
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        float inc = (float) increment, dec = (float) decay, lo = (float) minGain, hi = (float) maxGain;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            float[] g = updates[p], gain = s.gains[p], prev = s.prev[p];
            for (int i = 0; i < g.length; i++) {
                float agreement = g[i] * prev[i];
                float k = gain[i];
                if (agreement > 0) k += inc;
                else if (agreement < 0) k *= dec;
                k = Math.min(Math.max(k, lo), hi);
                gain[i] = k;
                prev[i] = g[i];
                g[i] *= k;
            }
        }
    }

    @Override
    public String describe() {
        return "adaptive_gains(+" + increment + ", *" + decay + ", [" + minGain + ", " + maxGain + "])";
    }
}
