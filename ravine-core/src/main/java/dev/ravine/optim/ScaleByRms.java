package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * RMSprop's preconditioning (Hinton, lecture 6e) in torch.optim.RMSprop's form: v = alpha v + (1 - alpha) g^2;
 * update = g / (sqrt(v) + eps). Centered, it also tracks the mean gradient a = alpha a + (1 - alpha) g and divides
 * by sqrt(v - a^2) + eps instead. RMSprop's momentum is a later {@link TraceMomentum} link (its buffer rule is the
 * same), and the learning rate after that.
 */
public record ScaleByRms(double alpha, double eps, boolean centered) implements DiagonalPreconditioner {
    public ScaleByRms {
        HyperParameters.requireNonNegative("alpha", alpha);
        HyperParameters.requireNonNegative("eps", eps);
    }

    public record State(float[][] squareAvg, float[][] gradAvg, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return StateArrays.named("square_avg", squareAvg, "grad_avg", gradAvg);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        return new State(StateArrays.zerosLike(params), centered ? StateArrays.zerosLike(params) : null, new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        float a = (float) alpha, oneMinusA = (float) (1 - alpha), e = (float) eps;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            s.count[p]++;
            float[] g = updates[p], v = s.squareAvg[p], m = centered ? s.gradAvg[p] : null;
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                v[i] = v[i] * a + oneMinusA * gi * gi;
                float avg;
                if (m != null) {
                    m[i] = m[i] * a + oneMinusA * gi;
                    avg = (float) Math.sqrt(v[i] - m[i] * m[i]);
                } else {
                    avg = (float) Math.sqrt(v[i]);
                }
                g[i] = gi / (avg + e);
            }
        }
    }

    /** P = sqrt(v) + eps, or sqrt(v - a^2) + eps centered; v is not bias-corrected (torch's RMSprop). */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        State s = (State) state;
        if (s.count[param] == 0) return null;
        float[] v = s.squareAvg[param], a = centered ? s.gradAvg[param] : null;
        if (a == null) return new DiagonalView(v.length, i -> Math.sqrt(v[i]) + eps, i -> v[i]);
        return new DiagonalView(v.length, i -> Math.sqrt(v[i] - (double) a[i] * a[i]) + eps, i -> v[i] - (double) a[i] * a[i]);
    }

    @Override
    public String describe() {
        return (centered ? "centered_rms(" : "rms(") + alpha + ", eps " + eps + ")";
    }
}
