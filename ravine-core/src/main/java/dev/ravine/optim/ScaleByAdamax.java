package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * AdaMax (Kingma and Ba, 2015, section 7) in torch.optim.Adamax's form: m = beta1 m + (1 - beta1) g;
 * u = max(beta2 u, |g| + eps); update = m / u / (1 - beta1^t), t the parameter's own step count.
 */
public record ScaleByAdamax(double beta1, double beta2, double eps) implements GradientTransform {
    public ScaleByAdamax {
        HyperParameters.requireDecay("beta1", beta1);
        HyperParameters.requireDecay("beta2", beta2);
        HyperParameters.requireNonNegative("eps", eps);
    }

    public record State(float[][] mu, float[][] inf, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return StateArrays.named("exp_avg", mu, "exp_inf", inf);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        return new State(StateArrays.zerosLike(params), StateArrays.zerosLike(params), new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        float b1 = (float) beta1, b2 = (float) beta2, oneMinusB1 = (float) (1 - beta1), e = (float) eps;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            long t = ++s.count[p];
            float invBc1 = (float) (1 / (1 - Math.pow(beta1, t)));
            float[] g = updates[p], m = s.mu[p], u = s.inf[p];
            for (int i = 0; i < g.length; i++) {
                float gi = g[i];
                m[i] = m[i] * b1 + oneMinusB1 * gi;
                u[i] = Math.max(u[i] * b2, Math.abs(gi) + e);
                g[i] = m[i] / u[i] * invBc1;
            }
        }
    }

    @Override
    public String describe() {
        return "adamax(" + beta1 + ", " + beta2 + ", eps " + eps + ")";
    }
}
