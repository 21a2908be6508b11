package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * Adagrad's preconditioning (Duchi et al., 2011) in torch.optim.Adagrad's form: sum += g^2; update = g / (sqrt(sum) +
 * eps) / (1 + (t - 1) lr_decay), t the parameter's own step count. The sum starts at initial_accumulator_value. The
 * learning rate is a later link.
 */
public record ScaleByAdagrad(double lrDecay, double initialAccumulatorValue, double eps) implements DiagonalPreconditioner {
    public ScaleByAdagrad {
        HyperParameters.requireNonNegative("lr_decay", lrDecay);
        HyperParameters.requireNonNegative("initial_accumulator_value", initialAccumulatorValue);
        HyperParameters.requireNonNegative("eps", eps);
    }

    public record State(float[][] sum, long[] count) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return Map.of("sum", sum);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("step", count);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        float[][] sum = StateArrays.zerosLike(params);
        for (float[] s : sum) java.util.Arrays.fill(s, (float) initialAccumulatorValue);
        return new State(sum, new long[params.size()]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        State s = (State) state;
        float e = (float) eps;
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            long t = ++s.count[p];
            float decay = (float) (1 / (1 + (t - 1) * lrDecay));
            float[] g = updates[p], acc = s.sum[p];
            for (int i = 0; i < g.length; i++) {
                acc[i] += g[i] * g[i];
                g[i] = g[i] / ((float) Math.sqrt(acc[i]) + e) * decay;
            }
        }
    }

    /** P = (sqrt(sum) + eps) (1 + (t - 1) lr_decay) at the parameter's last step t: the accumulated squares and the decay. */
    @Override
    public Diagonal diagonal(TransformState state, int param) {
        State s = (State) state;
        long t = s.count[param];
        if (t == 0) return null;
        float[] sum = s.sum[param];
        double decay = 1 + (t - 1) * lrDecay;
        return new DiagonalView(sum.length, i -> (Math.sqrt(sum[i]) + eps) * decay, i -> sum[i]);
    }

    @Override
    public String describe() {
        return "adagrad(lr_decay " + lrDecay + ", initial " + initialAccumulatorValue + ", eps " + eps + ")";
    }
}
