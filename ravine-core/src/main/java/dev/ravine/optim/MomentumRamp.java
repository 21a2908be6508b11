package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * Heavy-ball momentum whose coefficient rises linearly from {@code initial} to {@code target} over {@code rampSteps}
 * steps (Hinton, lecture 6c; Sutskever et al., 2013): at a parameter's t-th step (its own count, 1-based) the momentum
 * is initial + (target - initial) * min(1, (t - 1) / rampSteps), so step 1 uses {@code initial} and step rampSteps + 1
 * onward uses {@code target}. The buffer follows torch.optim.SGD: buf = g at the first step, then buf = mu buf + g;
 * the update is buf. Not part of torch.optim.
 */
public record MomentumRamp(double initial, double target, long rampSteps) implements GradientTransform {
    public MomentumRamp {
        if (!(initial >= 0 && initial < 1)) throw new IllegalArgumentException("initial momentum must be in [0, 1), got " + initial);
        if (!(target >= 0 && target < 1)) throw new IllegalArgumentException("final momentum must be in [0, 1), got " + target);
        if (rampSteps < 0) throw new IllegalArgumentException("ramp steps must be >= 0, got " + rampSteps);
    }

    public record State(float[][] buffer, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return Map.of("momentum_buffer", buffer);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    /** The momentum used at a parameter's t-th step. */
    public double momentumAt(long t) {
        if (rampSteps == 0) return target;
        return initial + (target - initial) * Math.min(1.0, (double) (t - 1) / rampSteps);
    }

    @Override
    public TransformState init(List<float[]> params) {
        return new State(StateArrays.zerosLike(params), new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            long t = ++s.count[p];
            float m = (float) momentumAt(t);
            float[] g = updates[p], b = s.buffer[p];
            for (int i = 0; i < g.length; i++) {
                b[i] = t == 1 ? g[i] : m * b[i] + g[i];
                g[i] = b[i];
            }
        }
    }

    @Override
    public String describe() {
        return "momentum_ramp(" + initial + " -> " + target + " over " + rampSteps + " steps)";
    }
}
